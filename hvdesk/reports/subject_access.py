"""The subject access export: everything held about one person, in one PDF, with third
parties' names marked for the DSL to consider redacting before it is sent.

The service (hvdesk.services.subject_access) decides what goes in and who is a third party; it
hands over a `SubjectAccessPack` of plain text (sections of records, each a label/value grid
and registers). This module lays it out with the common header, marking and page numbers:

* The front page: the request, how to read the export, the redaction schedule (every third
  party, who they are, how often and where they are named) and the contents.
* Then one section per kind of record, each record headed with its number ("Visit 123") so a
  line of the schedule leads to it.
* A third party's name is highlighted and followed by a small "redact?" mark wherever it
  appears, free text included; a row of a register that is wholly about a third party (a
  parent's phone and e-mail) is shaded too. The mark is text, not colour alone, so it survives
  a black-and-white printer and is found by a search of the PDF.

Text in Arabic script is shaped and ordered by hvdesk.reports.fonts; in such a line the whole
line is highlighted when it names a third party (marking inside a reordered line would put the
mark in the wrong place).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Paragraph, Table

from hvdesk.domain.subject_access import NameMarker, ThirdParty
from hvdesk.reports.access_pack import PackSection, RecordEntry, Register, SubjectAccessPack
from hvdesk.reports.fonts import REGULAR, has_arabic, is_right_to_left, markup
from hvdesk.reports.layout import (
    CONTENT_WIDTH,
    build_pdf,
    field_table,
    long_table,
    section,
    spacer,
    styles,
)
from hvdesk.reports.models import DocumentContext

__all__ = [
    "REDACT_MARK",
    "TITLE",
    "PackSection",
    "RecordEntry",
    "Register",
    "SubjectAccessPack",
    "redaction_schedule",
    "subject_access_report",
]

TITLE = "Subject access export"
REDACT_MARK = "redact?"
HIGHLIGHT = "#FFE08A"
MARK_COLOUR = "#8A4B00"
ROW_SHADE = colors.HexColor("#FFF3CC")
_WHERE_SHOWN = 8  # references listed per third party before "and N more"
_HEBREW = re.compile("[\u0590-\u05ff\ufb1d-\ufb4f]")
_MIN_SPLIT = 24  # points: the smallest piece of a row split across pages


@dataclass(frozen=True)
class ScheduleLine:
    """One third party on the redaction schedule."""

    party: ThirdParty
    mentions: int
    where: tuple[str, ...]


def subject_access_report(context: DocumentContext, pack: SubjectAccessPack) -> bytes:
    """The whole export as PDF bytes."""
    marker = NameMarker(pack.third_parties, pack.never_marked)
    st = styles()
    story: list[Flowable] = [
        Paragraph(TITLE, st.title),
        Paragraph(
            _plain(f"Request {pack.request_id} · {pack.subject_kind}: {pack.subject_name}"),
            st.subtitle,
        ),
        spacer(2),
        field_table(
            [
                ("Whose records", _marked(f"{pack.subject_name} ({pack.subject_kind})", marker)),
                ("Requested by", _marked(pack.requested_by, marker)),
                ("Received", f"{pack.received_on:%d %B %Y}"),
                ("Reply due by", f"{pack.due_on:%d %B %Y} (one calendar month)"),
            ],
            label_width=38 * mm,
            style=st.cell,
        ),
        section("How to read this export"),
        *_notes(pack),
        section("Redaction schedule"),
        *_schedule(redaction_schedule(pack, marker)),
        section("Contents"),
        *_contents(pack),
        PageBreak(),
    ]
    for number, part in enumerate(pack.sections, start=1):
        story += _section(number, part, marker)
    return build_pdf(context, TITLE, story, subject=f"Subject access request {pack.request_id}")


def redaction_schedule(
    pack: SubjectAccessPack, marker: NameMarker | None = None
) -> list[ScheduleLine]:
    """Every third party the export names at least once: how often and in which records (in
    the order the service listed them)."""
    marker = marker or NameMarker(pack.third_parties, pack.never_marked)
    counts: Counter[ThirdParty] = Counter()
    where: dict[ThirdParty, list[str]] = {party: [] for party in marker.parties}
    for part in pack.sections:
        for entry in part.entries:
            for text in _texts(entry):
                for party in marker.mentions(text):
                    counts[party] += 1
                    if entry.reference not in where[party]:
                        where[party].append(entry.reference)
    return [ScheduleLine(p, counts[p], tuple(where[p])) for p in marker.parties if counts[p]]


# --- the front page ------------------------------------------------------------------------------


def _notes(pack: SubjectAccessPack) -> list[Flowable]:
    st = styles()
    legend = Paragraph(
        f'A third party\'s name is shown <span backColor="{HIGHLIGHT}">highlighted</span>'
        f"{_mark()} wherever it appears; shaded rows of a table are wholly about a third "
        "party. Marks are suggestions for the person answering the request: decide each one, "
        "then redact on a copy of this file or on paper. The redaction schedule names the "
        "third parties: it is for whoever answers the request, never sent with the reply. "
        "Times are UK time.",
        st.body,
    )
    return [legend, *(Paragraph(_plain(f"• {note}"), st.body) for note in pack.notes)]


def _schedule(lines: Sequence[ScheduleLine]) -> list[Flowable]:
    st = styles()
    if not lines:
        return [Paragraph("No third party is named in these records.", st.body)]
    rows: list[list[Any]] = []
    for line in lines:
        shown = list(line.where[:_WHERE_SHOWN])
        more = len(line.where) - len(shown)
        where = "; ".join(shown) + (f"; and {more} more" if more > 0 else "")
        rows.append(
            [
                _cell(line.party.name, highlight=True),
                _cell(line.party.relation),
                str(line.mentions),
                _cell(where),
            ]
        )
    return [
        Paragraph(
            markup(f"{len(lines)} third part{'y' if len(lines) == 1 else 'ies'} named."),
            st.muted,
        ),
        spacer(1),
        long_table(
            ["Name", "Who they are", "Times", "Where"],
            rows,
            [44 * mm, 52 * mm, 14 * mm, CONTENT_WIDTH - 110 * mm],
        ),
    ]


def _contents(pack: SubjectAccessPack) -> list[Flowable]:
    st = styles()
    rows = [
        [str(n), _cell(part.title), str(_records(part) or "none")]
        for n, part in enumerate(pack.sections, start=1)
    ]
    return (
        [long_table(["", "Section", "Records"], rows, [10 * mm, 120 * mm, 25 * mm])]
        if rows
        else [Paragraph("Nothing is held.", st.body)]
    )


def _records(part: PackSection) -> int:
    """How many records a section holds: its entries, or the rows of its tables where the
    entries are only tables (a timeline is one entry per visit, one row per event)."""
    if part.entries and all(not e.fields and e.registers for e in part.entries):
        return sum(len(r.rows) for e in part.entries for r in e.registers)
    return len(part.entries)


# --- the sections ----------------------------------------------------------------------------


def _section(number: int, part: PackSection, marker: NameMarker) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [
        CondPageBreak(40 * mm),
        section(f"{number}. {part.title}"),
        Paragraph(_plain(part.about), st.muted),
        spacer(1.5),
    ]
    if not part.entries:
        story.append(Paragraph(_plain(part.empty), st.body))
        return story
    for entry in part.entries:
        story.append(CondPageBreak(25 * mm))
        story.append(_marked(entry.heading, marker, st.cell_bold))
        story.append(spacer(1))
        if entry.fields:
            story.append(
                _splittable(
                    field_table(
                        [(label, _marked(value, marker)) for label, value in entry.fields],
                        label_width=42 * mm,
                        style=st.cell,
                    )
                )
            )
            story.append(spacer(2))
        for register in entry.registers:
            story += _register(register, marker)
    return story


def _register(register: Register, marker: NameMarker) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = []
    if register.title:
        story.append(Paragraph(_plain(register.title), st.label))
        story.append(spacer(0.8))
    if not register.rows:
        story += [Paragraph("None recorded.", st.muted), spacer(2)]
        return story
    total = sum(register.widths) or 1.0
    widths = [CONTENT_WIDTH * w / total for w in register.widths]
    rows = [[_marked(value, marker) for value in row] for row in register.rows]
    shading = [
        ("BACKGROUND", (0, n + 1), (-1, n + 1), ROW_SHADE)
        for n in sorted(register.third_party_rows)
        if n < len(rows)
    ]
    story.append(_splittable(long_table(register.header, rows, widths, extra_style=shading)))
    story.append(spacer(2))
    return story


def _splittable(table: Table) -> Table:
    """Let a row taller than a page (a long observation) continue on the next page rather
    than fail the whole export; a piece left at the foot of a page is at least 2 lines."""
    table.splitInRow = _MIN_SPLIT
    return table


# --- marking -------------------------------------------------------------------------------


def _mark() -> str:
    return f'<font size="6.5" color="{MARK_COLOUR}"><super><b> {REDACT_MARK}</b></super></font>'


def _highlighted(inner: str) -> str:
    return f'<span backColor="{HIGHLIGHT}">{inner}</span>{_mark()}'


def _line_markup(line: str, marker: NameMarker | None) -> str:
    """One line as paragraph markup, third parties' names marked (see the module notes)."""
    pieces = marker.split(line) if marker is not None else [(line, None)]
    named = any(party is not None for _, party in pieces)
    if has_arabic(line):
        shaped = markup(_drawable(line))  # fonts.py shapes and orders Arabic script
        return _highlighted(shaped) if named else shaped
    if _HEBREW.search(line):
        ordered = escape(_visual_order(_drawable(line)))
        return _highlighted(ordered) if named else ordered
    return "".join(
        markup(_drawable(piece)) if party is None else _highlighted(markup(_drawable(piece)))
        for piece, party in pieces
    )


def _right_to_left_script(text: str) -> bool:
    return has_arabic(text) or bool(_HEBREW.search(text))


def _plain(text: str) -> str:
    """Text of the service's own (a title, a name) as paragraph markup, nothing marked."""
    return "<br/>".join(_line_markup(line, None) for line in text.splitlines() or [""])


def _visual_order(line: str) -> str:
    """A line in Hebrew put in the order it is drawn (fonts.py does this for Arabic only)."""
    from bidi.algorithm import get_display

    return str(get_display(line))


@cache
def _covered() -> frozenset[int]:
    """The characters DejaVu Sans can draw (Arabic script goes to Noto Sans Arabic)."""
    styles()  # registers the fonts
    return frozenset(pdfmetrics.getFont(REGULAR).face.charToGlyph)


def _drawable(text: str) -> str:
    """What was typed, with each character no shipped font can draw (an emoji, a control
    character) written as its Unicode name: "[slightly smiling face]". A box in its place
    would lose what the record says, which an export to the person it is about must not."""
    covered = _covered()
    if all(ord(char) in covered for char in text):
        return text
    out: list[str] = []
    for char in text:
        if ord(char) in covered or char in "\t\r\n" or has_arabic(char):
            out.append(char)
        elif 0xFE00 <= ord(char) <= 0xFE0F or char == "\u200d":
            continue  # emoji presentation selectors and joiners: nothing to show
        else:
            name = unicodedata.name(char, "")
            out.append(f"[{name.lower()}]" if name else f"[U+{ord(char):04X}]")
    return "".join(out)


@cache
def _rtl(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)


def _marked(
    text: str, marker: NameMarker, style: ParagraphStyle | None = None
) -> Paragraph | list[Paragraph]:
    """User text as paragraph(s) with third parties' names marked; a line in Arabic script
    that reads right to left is right-aligned (one paragraph per line when lines are mixed)."""
    chosen = style or styles().cell
    lines = text.splitlines() or [""]
    if len(lines) > 1 and _right_to_left_script(text):
        return [_one(line, marker, chosen) for line in lines]
    return _one(text, marker, chosen)


def _one(text: str, marker: NameMarker, style: ParagraphStyle) -> Paragraph:
    lines = text.splitlines() or [""]
    body = "<br/>".join(_line_markup(line, marker) for line in lines)
    if _right_to_left_script(text) and is_right_to_left(text):
        style = _rtl(style)
    return Paragraph(body, style)


def _cell(text: str, *, highlight: bool = False) -> Paragraph:
    inner = _plain(text)
    return Paragraph(
        f'<span backColor="{HIGHLIGHT}">{inner}</span>' if highlight else inner, styles().cell
    )


def _texts(entry: RecordEntry) -> list[str]:
    texts = [entry.heading, *(value for _, value in entry.fields)]
    for register in entry.registers:
        for row in register.rows:
            texts += row
    return texts
