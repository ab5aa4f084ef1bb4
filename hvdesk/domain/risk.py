"""The risk matrix of seed 001 appendix 2: severity x likelihood -> score -> band."""

from __future__ import annotations

from dataclasses import dataclass

from hvdesk.domain.labels import LabelledEnum

SCALE = range(1, 6)

STANDARD_HAZARDS: tuple[str, ...] = (
    "Aggressive or violent person",
    "Driving",
    "Movement through public areas",
    "Illness or injury",
    "Dogs or other animals",
)


class RiskBand(LabelledEnum):
    """A risk level; the highest residual band decides what a visit requires."""

    LOW = ("low", "Low")
    MEDIUM = ("medium", "Medium")
    HIGH = ("high", "High")


@dataclass(frozen=True)
class BandThresholds:
    """Upper score of the low and medium bands (default 1-4 low, 5-12 medium, 15-25 high).

    Stored with each assessment so a later change of settings does not rewrite history.
    """

    low_max: int = 4
    medium_max: int = 12

    def __post_init__(self) -> None:
        if not 1 <= self.low_max < self.medium_max < 25:
            raise ValueError("bands must satisfy 1 <= low max < medium max < 25")

    def band(self, score: int) -> RiskBand:
        if not 1 <= score <= 25:
            raise ValueError(f"a risk score is 1-25, not {score}")
        if score <= self.low_max:
            return RiskBand.LOW
        if score <= self.medium_max:
            return RiskBand.MEDIUM
        return RiskBand.HIGH


def risk_score(severity: int, likelihood: int) -> int:
    """Severity times likelihood, each 1-5."""
    if severity not in SCALE or likelihood not in SCALE:
        raise ValueError("severity and likelihood are each 1 to 5")
    return severity * likelihood
