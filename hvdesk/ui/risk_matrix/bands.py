"""How risk bands and row sources look on screen: the same tints and inks as the printed risk
assessment (hvdesk/reports/risk_assessment.py), so the screen and the paper agree. A band is
never shown by colour alone: its name is always written beside or inside the tint."""

from __future__ import annotations

from PySide6.QtGui import QColor

from hvdesk.domain.risk import BandThresholds, RiskBand
from hvdesk.domain.risk_matrix import RowSource

BAND_FILL: dict[RiskBand, QColor] = {
    RiskBand.LOW: QColor("#d7edd3"),
    RiskBand.MEDIUM: QColor("#fce7b0"),
    RiskBand.HIGH: QColor("#f6cbc5"),
}
BAND_INK: dict[RiskBand, QColor] = {
    RiskBand.LOW: QColor("#1e6b2e"),
    RiskBand.MEDIUM: QColor("#7a4f00"),
    RiskBand.HIGH: QColor("#a4161a"),
}

SOURCE_LABELS: dict[str, str] = {
    RowSource.STANDARD: "Standard",
    RowSource.KNOWN_RISK: "Known risk",
    RowSource.INCIDENT: "Earlier incident",
    RowSource.FREE: "Free row",
}
SOURCE_TOOLTIPS: dict[str, str] = {
    RowSource.STANDARD: "One of the standard hazards of the school's lone working assessment",
    RowSource.KNOWN_RISK: "From the household's known risks",
    RowSource.INCIDENT: "From an earlier incident at this address",
    RowSource.FREE: "Added by hand for this visit; it can be removed",
}


def band_ranges(bands: BandThresholds) -> str:
    """The bands as score ranges ("Low 1–4 · Medium 5–12 · High 13–25"), as the PDF prints them."""
    return (
        f"Low 1–{bands.low_max} · Medium {bands.low_max + 1}–{bands.medium_max}"
        f" · High {bands.medium_max + 1}–25"
    )


def band_style(band: RiskBand | None) -> str:
    """A style sheet for a label that states a band: tinted, with the band's ink as border."""
    if band is None:
        return (
            "background:#ffffff;color:#1b1f24;border:1px solid #9aa7b5;"
            "border-radius:4px;padding:8px 10px;"
        )
    return (
        f"background:{BAND_FILL[band].name()};color:#1b1f24;"
        f"border:2px solid {BAND_INK[band].name()};border-radius:4px;padding:8px 10px;"
    )
