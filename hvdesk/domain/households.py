"""Families and homes: the known risks staff must be told of, and who else works with them."""

from __future__ import annotations

from hvdesk.domain.labels import LabelledEnum


class RiskKind(LabelledEnum):
    """A known risk at a household (003: aggressive adults, dogs, cultural sensitivities)."""

    DOG = ("dog", "Dog or other animal")
    AGGRESSION = ("aggression", "Aggressive or violent adult")
    DO_NOT_ENTER_ALONE = ("do_not_enter_alone", "Do not enter alone")
    CULTURAL = ("cultural", "Cultural or religious sensitivity")
    HEALTH = ("health", "Health or hygiene hazard")
    LOCATION = ("location", "Location or access")
    SAFEGUARDING_HISTORY = ("safeguarding_history", "Safeguarding history")
    OTHER = ("other", "Other")

    @property
    def is_operational(self) -> bool:
        """Operational risks are shown to reception; safeguarding history only to the DSL."""
        return self is not RiskKind.SAFEGUARDING_HISTORY


class ProfessionalRole(LabelledEnum):
    """Other professionals allocated to a family (000: allocated social worker)."""

    SOCIAL_WORKER = ("social_worker", "Social worker")
    EARLY_HELP = ("early_help", "Early Help worker")
    FAMILY_SUPPORT = ("family_support", "Family support (local authority)")
    HEALTH_VISITOR = ("health_visitor", "Health visitor / school nurse")
    YOUTH_JUSTICE = ("youth_justice", "Youth justice worker")
    CAMHS = ("camhs", "CAMHS")
    OTHER = ("other", "Other")


class Relationship(LabelledEnum):
    """An adult's relationship to a pupil."""

    MOTHER = ("mother", "Mother")
    FATHER = ("father", "Father")
    STEPPARENT = ("stepparent", "Step-parent")
    GRANDPARENT = ("grandparent", "Grandparent")
    AUNT_UNCLE = ("aunt_uncle", "Aunt or uncle")
    FOSTER_CARER = ("foster_carer", "Foster carer")
    GUARDIAN = ("guardian", "Guardian")
    SIBLING = ("sibling", "Adult sibling")
    OTHER = ("other", "Other")
