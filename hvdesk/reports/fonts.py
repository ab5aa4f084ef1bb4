"""The shipped fonts, registered once, and text that any name can pass through safely.

reportlab's built-in Helvetica is Latin-1 only: Ł, ŷ, ğ or ễ would print as boxes. DejaVu Sans
(shipped in resources/fonts) covers Welsh, Polish, Turkish and Vietnamese. Arabic script
(Urdu names) needs shaping and right-to-left ordering: the text is reshaped to presentation
forms (arabic-reshaper), put in visual order (python-bidi) and set in Noto Sans Arabic, run by
run, so a mixed "Ayesha (عائشہ)" prints both halves. The PDF's text layer then maps each
presentation form back to the letter typed (its ToUnicode map), so the name copied from the
page or found by pdftotext is the name as typed, not its glyph forms (issue 17).

Bengali, Gujarati, Gurmukhi and Tamil names are set in Noto Sans of their script and shaped
with HarfBuzz (reportlab's shaping through uharfbuzz): conjuncts and reordered vowel signs.
Shaped glyphs carry no reliable text, so such a paragraph carries its text as typed in an
ActualText span (layout.para). Chinese (and Japanese, Korean) names are set in Droid Sans
Fallback. Every font is subset when embedded: a page holds only the glyphs it uses.
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
    "SCRIPT_FONTS",
    "has_arabic",
    "is_right_to_left",
    "markup",
    "needs_shaping",
    "register_fonts",
    "shaping_font",
]

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ARABIC_FONT = "NotoSansArabic"
ARABIC_BOLD = "NotoSansArabic-Bold"

# Scripts DejaVu Sans lacks: (regular, bold) font names, and the characters they cover.
SCRIPT_FONTS: dict[str, tuple[str, str]] = {
    "bengali": ("NotoSansBengali", "NotoSansBengali-Bold"),
    "gurmukhi": ("NotoSansGurmukhi", "NotoSansGurmukhi-Bold"),
    "gujarati": ("NotoSansGujarati", "NotoSansGujarati-Bold"),
    "tamil": ("NotoSansTamil", "NotoSansTamil-Bold"),
    "cjk": ("DroidSansFallback", "DroidSansFallback"),
}
_SCRIPT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0980, 0x09FF, "bengali"),
    (0x0A00, 0x0A7F, "gurmukhi"),
    (0x0A80, 0x0AFF, "gujarati"),
    (0x0B80, 0x0BFF, "tamil"),
    (0x1100, 0x11FF, "cjk"),  # Hangul Jamo
    (0x2E80, 0x2FDF, "cjk"),  # radicals
    (0x3000, 0x30FF, "cjk"),  # CJK punctuation, kana
    (0x3100, 0x31FF, "cjk"),
    (0x3400, 0x4DBF, "cjk"),
    (0x4E00, 0x9FFF, "cjk"),
    (0xAC00, 0xD7AF, "cjk"),  # Hangul syllables
    (0xF900, 0xFAFF, "cjk"),
)
_SHAPED_SCRIPTS = frozenset({"bengali", "gurmukhi", "gujarati", "tamil"})
_JOINERS = "\u200c\u200d"
_FILES = {
    REGULAR: "fonts/DejaVuSans.ttf",
    BOLD: "fonts/DejaVuSans-Bold.ttf",
    ARABIC_FONT: "fonts/NotoSansArabic-Regular.ttf",
    ARABIC_BOLD: "fonts/NotoSansArabic-Bold.ttf",
    "NotoSansBengali": "fonts/NotoSansBengali-Regular.ttf",
    "NotoSansBengali-Bold": "fonts/NotoSansBengali-Bold.ttf",
    "NotoSansGurmukhi": "fonts/NotoSansGurmukhi-Regular.ttf",
    "NotoSansGurmukhi-Bold": "fonts/NotoSansGurmukhi-Bold.ttf",
    "NotoSansGujarati": "fonts/NotoSansGujarati-Regular.ttf",
    "NotoSansGujarati-Bold": "fonts/NotoSansGujarati-Bold.ttf",
    "NotoSansTamil": "fonts/NotoSansTamil-Regular.ttf",
    "NotoSansTamil-Bold": "fonts/NotoSansTamil-Bold.ttf",
    "DroidSansFallback": "fonts/DroidSansFallbackFull.ttf",
}
_lock = threading.Lock()
_registered: set[str] = set()

# Arabic, Arabic Supplement, Arabic Extended-A, Presentation Forms A and B.
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_HAS_ARABIC = re.compile(f"[{_ARABIC}]")
# A run of Arabic letters, with the spaces and marks between two of them.
_ARABIC_RUN = re.compile(f"[{_ARABIC}](?:[{_ARABIC}\\s\u200c\u200d]*[{_ARABIC}])?")


def _register(*names: str) -> None:
    _logical_text_layer()
    with _lock:
        for name in names:
            if name not in _registered:
                # Only the Indic faces are shaped; the others keep one glyph per character,
                # which is what their text layer relies on.
                shapable = any(
                    name in pair for key, pair in SCRIPT_FONTS.items() if key in _SHAPED_SCRIPTS
                )
                pdfmetrics.registerFont(
                    TTFont(name, str(resource_path(_FILES[name])), shapable=shapable)
                )
                _registered.add(name)


@cache
def _logical_text_layer() -> None:
    """Make every embedded font's ToUnicode map give an Arabic presentation form as the letter
    (or letters) it stands for, so text taken from the PDF is the text typed. The forms are
    only ever there because hvdesk reshaped a name; the compatibility decomposition (NFKC) of a
    form is exactly the letters it was made from."""
    from reportlab.pdfbase import ttfonts

    original = ttfonts.makeToUnicodeCMap

    def to_unicode(fontname: str, subset: list[int]) -> str:
        if not any(_is_presentation_form(code) for code in subset):
            return str(original(fontname, subset))
        cmap = str(original(fontname, subset))
        for index, code in enumerate(subset):
            if _is_presentation_form(code):
                # A ligature (lam-alef) sits in a right-to-left run drawn in visual order:
                # its letters go in that order too, and readers turn the run round.
                letters = unicodedata.normalize("NFKC", chr(code))[::-1]
                target = letters.encode("utf-16-be").hex().upper()
                cmap = cmap.replace(f"<{index:02X}> <{code:04X}>", f"<{index:02X}> <{target}>")
        return cmap

    ttfonts.makeToUnicodeCMap = to_unicode


def _is_presentation_form(code: int) -> bool:
    return 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF


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


def _script_of(char: str) -> str | None:
    code = ord(char)
    for low, high, script in _SCRIPT_RANGES:
        if low <= code <= high:
            return script
    return None


def needs_shaping(text: str) -> bool:
    """Whether the text holds a script whose glyphs reorder or join (Bengali, Gujarati,
    Gurmukhi, Tamil): it is then shaped, and carries its text as typed (ActualText)."""
    return any(_script_of(c) in _SHAPED_SCRIPTS for c in text)


def _register_script(script: str) -> None:
    regular, bold = SCRIPT_FONTS[script]
    if bold in _registered and regular in _registered:
        return
    _register(regular, bold)
    with _lock:
        pdfmetrics.registerFontFamily(
            regular, normal=regular, bold=bold, italic=regular, boldItalic=bold
        )


def shaping_font(text: str, *, bold: bool = False) -> str | None:
    """The font of the first shaped script in the text (a shaped paragraph's base font)."""
    for char in text:
        script = _script_of(char)
        if script in _SHAPED_SCRIPTS:
            assert script is not None
            _register_script(script)
            return SCRIPT_FONTS[script][1 if bold else 0]
    return None


def _script_runs(text: str, *, bold: bool) -> str:
    """Escaped text with each run of a script DejaVu lacks set in that script's font; spaces,
    joiners and marks between two letters of a run stay in it."""
    out: list[str] = []
    run: list[str] = []
    current: str | None = None

    def flush() -> None:
        if not run:
            return
        chunk = escape("".join(run))
        if current is None:
            out.append(chunk)
        else:
            face = SCRIPT_FONTS[current][1 if bold else 0]
            _register_script(current)
            out.append(f'<font face="{face}">{chunk}</font>')
        run.clear()

    for char in text:
        script = _script_of(char)
        neutral = script is None and (
            char in _JOINERS or unicodedata.category(char).startswith("M")
        )
        if script != current and not neutral:
            flush()
            current = script
        run.append(char)
    flush()
    return "".join(out)


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
                parts.append(_script_runs(visual[last : match.start()], bold=bold))
                parts.append(f'<font face="{face}">{escape(match.group())}</font>')
                last = match.end()
            parts.append(_script_runs(visual[last:], bold=bold))
            out.append("".join(parts))
        else:
            out.append(_script_runs(line, bold=bold))
    joined = "<br/>".join(out)
    return f"<b>{joined}</b>" if bold else joined
