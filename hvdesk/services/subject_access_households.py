"""The households part of a subject access pack: each home with its adults, other pupils and
professionals (all third parties but the subject), and the known risks recorded there."""

from __future__ import annotations

from collections.abc import Sequence

from hvdesk.db.models import Adult, Household, PupilAdult
from hvdesk.domain.subject_access import PartyKind
from hvdesk.reports.access_pack import PackSection, RecordEntry, Register
from hvdesk.services.subject_access_ledger import PackLedger, when, year_label, yes_no


def households_section(
    ledger: PackLedger,
    households: Sequence[Household],
    *,
    linked_adults: Sequence[tuple[Adult, PupilAdult]],
    subject_pupil: int | None = None,
    subject_adult: int | None = None,
) -> PackSection:
    ledger.seen("households", [h.id for h in households])
    entries = []
    for position, home in enumerate(households):
        # The adults linked to the pupil go with the pupil's own home (the first), even
        # one who lives elsewhere; then everyone else recorded at the household.
        linked = linked_adults if position == 0 else []
        linked_ids = {adult.id for adult, _ in linked}
        rows: list[tuple[str, ...]] = [
            (
                adult.full_name,
                link.relationship_to_pupil.label,
                yes_no(link.parental_responsibility),
                yes_no(link.lives_with_pupil),
                adult.phone or "",
                adult.email or "",
                adult.preferred_language or "",
            )
            for adult, link in linked
        ]
        for adult in home.adults:
            if adult.id in linked_ids or adult.id == subject_adult:
                continue
            ledger.party(adult.full_name, PartyKind.ADULT, "Adult at the household")
            rows.append(
                (
                    adult.full_name,
                    "At the household",
                    "",
                    "",
                    adult.phone or "",
                    adult.email or "",
                    adult.preferred_language or "",
                )
            )
        ledger.seen("adults", [a.id for a in home.adults] + sorted(linked_ids))
        pupils = [p for p in home.pupils if p.id != subject_pupil]
        for pupil in pupils:
            ledger.party(pupil.full_name, PartyKind.PUPIL, "Pupil at the same household")
        for professional in home.professionals:
            ledger.party(professional.name, PartyKind.PROFESSIONAL, professional.role.label)
        ledger.seen("professionals", [p.id for p in home.professionals])
        entries.append(
            RecordEntry(
                heading=f"Household {home.id}: {home.address}",
                reference=f"Household {home.id}",
                fields=(
                    ("Address", home.address),
                    ("Area", home.area),
                    ("Home phone", home.home_phone or "None"),
                    ("Notes on finding the home", home.location_notes or "None"),
                    ("Recorded", when(home.created_at)),
                ),
                registers=(
                    Register(
                        "Adults",
                        (
                            "Name",
                            "Relation",
                            "Parental resp.",
                            "Lives with pupil",
                            "Phone",
                            "E-mail",
                            "Language",
                        ),
                        tuple(rows),
                        (0.2, 0.13, 0.1, 0.1, 0.15, 0.2, 0.12),
                        frozenset(range(len(rows))),
                    ),
                    Register(
                        "Other pupils at the household",
                        ("Name", "Year", "On roll"),
                        tuple(
                            (p.full_name, year_label(p.year_group), yes_no(p.active))
                            for p in pupils
                        ),
                        (0.5, 0.25, 0.25),
                        frozenset(range(len(pupils))),
                    ),
                    Register(
                        "Other professionals working with the family",
                        ("Name", "Role", "Organisation", "Phone", "E-mail"),
                        tuple(
                            (
                                p.name,
                                p.role.label,
                                p.organisation or "",
                                p.phone or "",
                                p.email or "",
                            )
                            for p in home.professionals
                        ),
                        (0.22, 0.2, 0.22, 0.15, 0.21),
                        frozenset(range(len(home.professionals))),
                    ),
                ),
            )
        )
    return PackSection(
        "Households and linked adults",
        "The home and the people recorded with it. Everyone here but the subject is a third party.",
        tuple(entries),
    )


# -- visits and what hangs from them --


def known_risks_section(ledger: PackLedger, households: Sequence[Household]) -> PackSection:
    entries = []
    for home in households:
        risks = list(home.known_risks)
        ledger.seen("known_risks", [r.id for r in risks])
        entries.append(
            RecordEntry(
                heading=f"Known risks at household {home.id}",
                reference=f"Household {home.id}",
                registers=(
                    Register(
                        "",
                        ("Kind", "Description", "Recorded", "Ended"),
                        tuple(
                            (
                                r.kind.label,
                                r.description
                                + (f" (from incident {r.incident_id})" if r.incident_id else ""),
                                when(r.recorded_at)
                                + (
                                    f" by {ledger.user(r.recorded_by_id)}"
                                    if r.recorded_by_id
                                    else ""
                                ),
                                when(r.ended_at) or "In force",
                            )
                            for r in risks
                        ),
                        (0.2, 0.42, 0.23, 0.15),
                    ),
                ),
            )
        )
    return PackSection(
        "Known risks",
        "What staff are told before visiting the household, and its safeguarding history.",
        tuple(entries),
    )
