"""The common look of every hvdesk document: A4, the school's name and logo, the marking at top
and bottom, "Page X of Y", when it was generated and which record it is, DRILL across the page.

One `build_pdf` turns a story of flowables into bytes; the small helpers here (label/value
grids, ruled lines to write on, signature lines, section headings) keep the forms alike.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, partial
from typing import Any, TypeAlias

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    LongTable,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from hvdesk.clock import to_school_time
from hvdesk.reports.fonts import (
    BOLD,
    REGULAR,
    has_arabic,
    is_right_to_left,
    markup,
    needs_shaping,
    register_fonts,
    shaping_font,
)
from hvdesk.reports.models import DocumentContext

__all__ = [
    "ACCENT",
    "CONTENT_WIDTH",
    "INK",
    "LABEL_BG",
    "MUTED",
    "RULE",
    "RuledLines",
    "Styles",
    "TextAsTyped",
    "build_pdf",
    "field_table",
    "long_table",
    "para",
    "paras",
    "section",
    "signature_block",
    "styles",
    "table_style",
    "when",
]

log = logging.getLogger(__name__)

PAGE_WIDTH: float = A4[0]
PAGE_HEIGHT: float = A4[1]
MARGIN: float = 15 * mm
HEADER_HEIGHT: float = 25 * mm
FOOTER_HEIGHT: float = 21 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN

INK = colors.HexColor("#1B1F24")
MUTED = colors.HexColor("#59626E")
RULE = colors.HexColor("#AAB3BF")
LABEL_BG = colors.HexColor("#EDF1F5")
ACCENT = colors.HexColor("#1F3A5F")
DRILL_RED = colors.HexColor("#C62828")


@dataclass(frozen=True)
class Styles:
    """The paragraph styles every document shares."""

    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    label: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    notice: ParagraphStyle


@cache
def styles() -> Styles:
    """Built once, after the fonts are registered (a style names its font)."""
    register_fonts()
    body = ParagraphStyle(
        "body", fontName=REGULAR, fontSize=9.5, leading=12.5, textColor=INK, alignment=TA_LEFT
    )
    return Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=10),
        muted=ParagraphStyle("muted", parent=body, fontSize=8.5, leading=11, textColor=MUTED),
        label=ParagraphStyle(
            "label", parent=body, fontName=BOLD, fontSize=8.5, leading=11, textColor=ACCENT
        ),
        title=ParagraphStyle(
            "title", parent=body, fontName=BOLD, fontSize=17, leading=21, textColor=ACCENT
        ),
        subtitle=ParagraphStyle(
            "subtitle", parent=body, fontSize=9.5, leading=12.5, textColor=MUTED, spaceAfter=2
        ),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=BOLD,
            fontSize=11,
            leading=14,
            textColor=ACCENT,
            spaceBefore=9,
            spaceAfter=3,
        ),
        cell=ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5),
        cell_bold=ParagraphStyle(
            "cell_bold", parent=body, fontName=BOLD, fontSize=8.5, leading=10.5
        ),
        notice=ParagraphStyle(
            "notice", parent=body, fontName=BOLD, fontSize=10.5, leading=13.5, alignment=TA_CENTER
        ),
    )


@cache
def _right_aligned(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)


class TextAsTyped(Paragraph):  # type: ignore[misc]
    """A paragraph whose glyphs do not spell its text (shaped Bengali, Gujarati, Gurmukhi or
    Tamil: conjuncts, vowel signs drawn before their consonant), so it carries the text as
    typed in an ActualText span: copying it from the PDF, or pdftotext, gives the name."""

    def __init__(self, text: str, style: ParagraphStyle, typed: str) -> None:
        super().__init__(text, style)
        self.typed = typed

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        first = len(canvas._code)
        super().drawOn(canvas, x, y, _sW)
        # Inside each text object (BT ... ET), where readers know the glyphs' place: the first
        # carries the whole text, any further line of the paragraph an empty one.
        typed = self.typed
        for index in range(first, len(canvas._code)):
            code = canvas._code[index]
            if isinstance(code, str) and code.startswith("BT") and code.endswith("ET"):
                hexed = "FEFF" + typed.encode("utf-16-be").hex().upper()
                span = f"/Span <</ActualText <{hexed}>>> BDC"
                canvas._code[index] = f"BT {span} {code[2:-2]} EMC ET"
                typed = ""


def para(text: str | None, style: ParagraphStyle | None = None, *, bold: bool = False) -> Paragraph:
    """A paragraph of user text, escaped. Arabic script is shaped and ordered (`markup`), and
    text that reads right to left (an Urdu name) gets its own right-aligned style. Text in a
    script that HarfBuzz must shape is shaped, and keeps its typed text (`TextAsTyped`)."""
    chosen = style or styles().body
    value = text or ""
    if has_arabic(value) and is_right_to_left(value):
        chosen = _right_aligned(chosen)
    if needs_shaping(value):
        base = shaping_font(value, bold=bold or chosen.fontName == BOLD)
        shaped = ParagraphStyle(f"{chosen.name}-shaped", parent=chosen, fontName=base)
        shaped.shaping = 1
        latin = BOLD if chosen.fontName == BOLD else REGULAR
        body = f'<font face="{latin}">{markup(value, bold=bold)}</font>'
        return TextAsTyped(body, shaped, " ".join(value.split()))
    return Paragraph(markup(value, bold=bold), chosen)


def paras(text: str, style: ParagraphStyle | None = None) -> Paragraph | list[Paragraph]:
    """One paragraph, or one per line when some line holds Arabic script: each name then
    takes its own direction (a Latin name left, an Urdu name right)."""
    lines = text.splitlines()
    if len(lines) > 1 and has_arabic(text):
        return [para(line, style) for line in lines]
    return para(text, style)


def when(instant: datetime | None, fmt: str | None = None) -> str:
    """An instant as the office writes it, in school time (Europe/London)."""
    if instant is None:
        return ""
    return to_school_time(instant).strftime(fmt or "%a %d %b %Y, %H:%M")


def section(title: str) -> Paragraph:
    """A section heading."""
    return Paragraph(markup(title), styles().heading)


class RuledLines(Flowable):  # type: ignore[misc]
    """Lines to write on by hand, as a paper form has."""

    def __init__(self, lines: int, spacing: float = 8 * mm, width: float | None = None) -> None:
        super().__init__()
        self.lines = lines
        self.spacing = spacing
        self.fixed_width = width

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = self.fixed_width or available_width
        self.height = self.lines * self.spacing + 1 * mm
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        for n in range(1, self.lines + 1):
            y = self.height - n * self.spacing
            canvas.line(0, y, self.width, y)
        canvas.restoreState()


Cell: TypeAlias = "str | Flowable | Sequence[Flowable] | None"


def field_table(
    rows: Sequence[tuple[str, Cell]],
    *,
    label_width: float = 52 * mm,
    width: float = CONTENT_WIDTH,
    blank_height: float = 10 * mm,
    style: ParagraphStyle | None = None,
) -> Table:
    """A boxed grid of label | value, as the paper forms are laid out. A value of None or ""
    leaves a box tall enough to write in by hand."""
    st = styles()
    data: list[list[Any]] = []
    heights: list[float | None] = []
    for label, value in rows:
        cell: Any
        if value is None or value == "":
            cell = ""
            heights.append(blank_height)
        else:
            cell = paras(value, style or st.body) if isinstance(value, str) else value
            heights.append(None)
        data.append([Paragraph(markup(label), st.label), cell])
    table = Table(
        data,
        colWidths=[label_width, width - label_width],
        rowHeights=heights,
        hAlign="LEFT",
    )
    table.setStyle(
        table_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, RULE),
                ("BACKGROUND", (0, 0), (0, -1), LABEL_BG),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def long_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    col_widths: Sequence[float],
    *,
    extra_style: Sequence[tuple[Any, ...]] = (),
    header_rows: int = 1,
    header_data: Sequence[Sequence[Any]] | None = None,
) -> LongTable:
    """A register that splits across pages with its header repeated on each."""
    st = styles()
    head = header_data or [[Paragraph(markup(h), st.cell_bold) for h in header]]
    table = LongTable(
        [*head, *rows], colWidths=list(col_widths), repeatRows=header_rows, hAlign="LEFT"
    )
    table.setStyle(
        table_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), LABEL_BG),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ("LEADING", (0, 0), (-1, -1), 10.5),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                *extra_style,
            ]
        )
    )
    return table


def signature_block(
    lines: Sequence[Sequence[tuple[str, str | None, float]]], *, width: float = CONTENT_WIDTH
) -> Table:
    """Rows of "Label ______" pairs to sign or fill in by hand.

    Each row is a list of (label, printed value or None, share of the width); a printed value
    sits on its line (a name or a date known in advance), None leaves the line empty. Each
    row is laid out on its own, so rows of different shapes stack cleanly.
    """
    st = styles()
    rows: list[list[Any]] = []
    for row in lines:
        cells: list[Any] = []
        widths: list[float] = []
        style: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
        for c, (label, value, share) in enumerate(row):
            label_width = stringWidth(label, BOLD, st.label.fontSize) + (4 if c == 0 else 12)
            cells.append(Paragraph(markup(label), _right_aligned(st.label) if c else st.label))
            cells.append(para(value, st.body) if value else "")
            widths += [label_width, share * width - label_width]
            style.append(("LINEBELOW", (2 * c + 1, 0), (2 * c + 1, 0), 0.7, INK))
            style.append(("LEFTPADDING", (2 * c + 1, 0), (2 * c + 1, 0), 3))
        table = Table([cells], colWidths=widths, rowHeights=[9 * mm], hAlign="LEFT")
        table.setStyle(table_style(style))
        rows.append([table])
    stack = Table(rows, colWidths=[width], hAlign="LEFT")
    stack.setStyle(
        table_style(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5 * mm),
            ]
        )
    )
    return stack


def table_style(commands: Sequence[tuple[Any, ...]]) -> TableStyle:
    """A table style whose cells default to DejaVu Sans (reportlab's default is Helvetica,
    which would be referenced, unembedded, by every table)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), *commands])


def keep(*flowables: Flowable) -> KeepTogether:
    """Keep a heading with what follows it."""
    return KeepTogether(list(flowables))


def spacer(height_mm: float) -> Spacer:
    return Spacer(1, height_mm * mm)


# --- the page ------------------------------------------------------------------------------------


def _logo(data: bytes) -> ImageReader | None:
    try:
        return ImageReader(io.BytesIO(data))
    except Exception:  # a broken logo must never stop a police sheet printing
        log.warning("The school logo in the settings could not be read; printing without it.")
        return None


class _Decorator:
    """Draws what every page carries, before the page's content (so DRILL lies beneath it)."""

    def __init__(self, context: DocumentContext, title: str) -> None:
        self.context = context
        self.title = title
        self.logo = _logo(context.logo) if context.logo else None
        self.generated = (
            f"Generated {when(context.generated_at, '%d %b %Y %H:%M')} (UK time)"
            f"  ·  {context.record_label}"
        )

    def __call__(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        context = self.context
        canvas.saveState()
        if context.is_drill:
            _drill_watermark(canvas)
        # The marking, top and bottom centre (as government security markings are placed).
        canvas.setFillColor(INK)
        canvas.setFont(BOLD, 9)
        canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 9 * mm, context.marking)
        canvas.drawCentredString(PAGE_WIDTH / 2, 6.5 * mm, context.marking)
        # Header: logo and school name on the left, the document on the right.
        x = MARGIN
        if self.logo is not None:
            width, height = self.logo.getSize()
            box = 11 * mm
            scale = min(box / height, 30 * mm / width) if width and height else 0
            if scale:
                canvas.drawImage(
                    self.logo,
                    x,
                    PAGE_HEIGHT - 21 * mm,
                    width * scale,
                    height * scale,
                    mask="auto",
                )
                x += width * scale + 3 * mm
        canvas.setFillColor(ACCENT)
        canvas.setFont(BOLD, 12)
        canvas.drawString(x, PAGE_HEIGHT - 18 * mm, context.school_name)
        canvas.setFillColor(MUTED)
        canvas.setFont(REGULAR, 9)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 18 * mm, self.title)
        if context.is_drill:
            canvas.setFillColor(DRILL_RED)
            canvas.setFont(BOLD, 9)
            canvas.drawRightString(
                PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 9 * mm, "DRILL: PRACTICE ONLY"
            )
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(1.2)
        canvas.line(MARGIN, PAGE_HEIGHT - 21.5 * mm, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 21.5 * mm)
        # Footer: what and when on the left; "Page X of Y" is added when the count is known.
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, 16 * mm, PAGE_WIDTH - MARGIN, 16 * mm)
        canvas.setFillColor(MUTED)
        canvas.setFont(REGULAR, 8)
        canvas.drawString(MARGIN, 11.5 * mm, self.generated)
        canvas.restoreState()


def _drill_watermark(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setFillColor(DRILL_RED, alpha=0.13)
    canvas.setFont(BOLD, 150)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(52)
    canvas.drawCentredString(0, -50, "DRILL")
    canvas.restoreState()


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Holds each page back until the last, so every footer can say "Page X of Y"."""

    def __init__(self, *args: Any, generated_at: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []
        # The PDF's own dates come from the injected clock too (and so are reproducible).
        stamp = generated_at.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")
        self._doc.setDateFormatter(lambda *_: stamp)

    def showPage(self) -> None:  # noqa: N802  (reportlab's name)
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self.saveState()
            self.setFillColor(MUTED)
            self.setFont(REGULAR, 8)
            self.drawRightString(
                PAGE_WIDTH - MARGIN, 11.5 * mm, f"Page {self._pageNumber} of {total}"
            )
            self.restoreState()
            super().showPage()
        super().save()


def build_pdf(
    context: DocumentContext, title: str, story: Sequence[Flowable], *, subject: str = ""
) -> bytes:
    """Lay the story out on A4 pages with the common header and footer; the PDF as bytes."""
    styles()  # registers the fonts before any paragraph measures itself
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=HEADER_HEIGHT,
        bottomMargin=FOOTER_HEIGHT,
        title=f"{title} ({context.record_label})",
        author=context.school_name,
        subject=subject or title,
        creator="hvdesk",
        invariant=True,
        lang="en-GB",
        initialFontName=REGULAR,  # else every page names Helvetica, a font never embedded
        displayDocTitle=True,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=_Decorator(context, title))])
    doc.build(list(story), canvasmaker=partial(_NumberedCanvas, generated_at=context.generated_at))
    return buffer.getvalue()


def frame_height() -> float:
    """The height of the body on a page (what a one-page document must fit in)."""
    return PAGE_HEIGHT - HEADER_HEIGHT - FOOTER_HEIGHT
