"""The shipped fonts, registered once, and text that any name can pass through safely.

reportlab's built-in Helvetica is Latin-1 only: Ł, ŷ, ğ or ễ would print as boxes. DejaVu Sans
(shipped in resources/fonts) covers Welsh, Polish, Turkish and Vietnamese. Arabic script
(Urdu names) needs shaping and right-to-left ordering, which reportlab does not do: the text is
reshaped to presentation forms (arabic-reshaper), put in visual order (python-bidi) and set in
Noto Sans Arabic, run by run, so a mixed "Ayesha (عائشہ)" prints both halves.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from hvdesk.resources_path import resource_path

__all__ = [
    "ARABIC_BOLD",
    "ARABIC_FONT",
    "BOLD",
    "REGULAR",
    "has_arabic",
    "is_right_to_left",
    "markup",
    "register_fonts",
]

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ARABIC_FONT = "NotoSansArabic"
ARABIC_BOLD = "NotoSansArabic-Bold"

_FILES = {
    REGULAR: "fonts/DejaVuSans.ttf",
    BOLD: "fonts/DejaVuSans-Bold.ttf",
    ARABIC_FONT: "fonts/NotoSansArabic-Regular.ttf",
    ARABIC_BOLD: "fonts/NotoSansArabic-Bold.ttf",
}
_lock = threading.Lock()
_registered: set[str] = set()

# Arabic, Arabic Supplement, Arabic Extended-A, Presentation Forms A and B.
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_HAS_ARABIC = re.compile(f"[{_ARABIC}]")
# A run of Arabic letters, with the spaces and marks between two of them.
_ARABIC_RUN = re.compile(f"[{_ARABIC}](?:[{_ARABIC}\\s\u200c\u200d]*[{_ARABIC}])?")


def _register(*names: str) -> None:
    with _lock:
        for name in names:
            if name not in _registered:
                pdfmetrics.registerFont(TTFont(name, str(resource_path(_FILES[name]))))
                _registered.add(name)


def register_fonts() -> None:
    """DejaVu Sans as one family, so <b> in a paragraph picks the bold face (about 40 ms,
    once per process)."""
    if BOLD in _registered:
        return
    _register(REGULAR, BOLD)
    with _lock:
        # No italic faces are shipped: italic asks fall back to upright rather than Latin-1.
        pdfmetrics.registerFontFamily(
            REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
        )
        for bold, italic, face in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR), (1, 1, BOLD)):
            addMapping(REGULAR, bold, italic, face)


def _register_arabic() -> None:
    if ARABIC_BOLD in _registered:
        return
    _register(ARABIC_FONT, ARABIC_BOLD)
    with _lock:
        pdfmetrics.registerFontFamily(
            ARABIC_FONT,
            normal=ARABIC_FONT,
            bold=ARABIC_BOLD,
            italic=ARABIC_FONT,
            boldItalic=ARABIC_BOLD,
        )


def has_arabic(text: str) -> bool:
    """Whether the text holds Arabic script (and so needs shaping and right alignment)."""
    return bool(_HAS_ARABIC.search(text))


def is_right_to_left(text: str) -> bool:
    """Whether the text reads right to left: its first strong character is Arabic script
    (so "عائشہ قریشی (Mother)" does, "Mother: عائشہ" does not)."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction == "L":
            return False
        if direction in ("R", "AL"):
            return True
    return False


@cache
def _shaped(text: str) -> str:
    """Arabic letters joined (presentation forms) and the line put in visual order."""
    import arabic_reshaper
    from bidi.algorithm import get_display  # the reference algorithm: it mirrors brackets

    return str(get_display(arabic_reshaper.reshape(text)))


def markup(text: str, *, bold: bool = False) -> str:
    """Paragraph markup for user text: escaped, line breaks kept, Arabic shaped and set in
    Noto Sans Arabic run by run (everything else stays in DejaVu Sans)."""
    lines = text.splitlines() or [""]
    out: list[str] = []
    for line in lines:
        if has_arabic(line):
            _register_arabic()
            face = ARABIC_BOLD if bold else ARABIC_FONT
            visual = _shaped(line)
            parts: list[str] = []
            last = 0
            for match in _ARABIC_RUN.finditer(visual):
                parts.append(escape(visual[last : match.start()]))
                parts.append(f'<font face="{face}">{escape(match.group())}</font>')
                last = match.end()
            parts.append(escape(visual[last:]))
            out.append("".join(parts))
        else:
            out.append(escape(line))
    joined = "<br/>".join(out)
    return f"<b>{joined}</b>" if bold else joined
