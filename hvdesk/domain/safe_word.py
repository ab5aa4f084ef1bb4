"""Keeping a visit's safe word out of what leaves hvdesk (printed documents, the CPOMS summary,
the annual review): the word is replaced wherever it stands as a whole word, in any case.

Pure: the services pass the text and the visit's word.
"""

from __future__ import annotations

import re

REDACTED = "[safe word]"
"""What stands in the safe word's place."""


def redact_safe_word(text: str | None, word: str | None) -> str | None:
    """`text` with `word` (any case, as a whole word: "Bluebell" but not "Bluebells") replaced
    by REDACTED; unchanged when there is no text or no word."""
    word = (word or "").strip()
    if not text or not word:
        return text
    return re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", REDACTED, text, flags=re.IGNORECASE)
