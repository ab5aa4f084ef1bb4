"""The visits part of a subject access pack: each visit as requested, its risk assessments,
authorisations, timeline, after-visit record, follow-ups and incidents."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from hvdesk.clock import format_school_time, to_school_time
from hvdesk.db.models import (
    Authorisation,
    FollowUp,
    Household,
    Incident,
    Pupil,
    PupilAdult,
    RiskAssessment,
    Visit,
    VisitStaff,
)
from hvdesk.domain.subject_access import PartyKind
from hvdesk.reports.access_pack import PackSection, RecordEntry, Register
from hvdesk.services.subject_access_ledger import PackLedger, day, when, yes_no


def load_visits(ledger: PackLedger, query: sa.Select[Visit]) -> list[Visit]:
    visits = list(
        ledger.session.scalars(
            query.options(
                selectinload(Visit.visitors).joinedload(VisitStaff.staff),
                joinedload(Visit.household).selectinload(Household.adults),
                joinedload(Visit.pupil)
                .selectinload(Pupil.adult_links)
                .joinedload(PupilAdult.adult),
                selectinload(Visit.authorisations),
                selectinload(Visit.events),
                selectinload(Visit.risk_assessments).selectinload(RiskAssessment.hazards),
                selectinload(Visit.follow_ups).joinedload(FollowUp.owner),
                joinedload(Visit.social_worker),
            ).order_by(Visit.planned_start, Visit.id)
        ).unique()
    )
    ledger.seen("visits", [v.id for v in visits])
    return visits


def visit_sections(
    ledger: PackLedger,
    visits: Sequence[Visit],
    *,
    staff_view: bool,
    extra_follow_ups: Sequence[FollowUp] = (),
) -> list[PackSection]:
    for visit in visits:
        if visit.social_worker is not None:
            ledger.party(
                visit.social_worker.name,
                PartyKind.PROFESSIONAL,
                visit.social_worker.role.label,
            )
        ledger.contact(visit.responsible_contact_name, "Responsible contact for a visit")
        for event in visit.events:
            ledger.contact(event.contact_name, "Contact named on a visit's timeline")
    incidents = list(
        ledger.session.scalars(
            sa.select(Incident)
            .where(Incident.visit_id.in_([v.id for v in visits]))
            .order_by(Incident.occurred_at, Incident.id)
        )
    )
    return [
        PackSection(
            "Visits",
            "Each visit as requested and planned: why, when, who went."
            + (" Families' addresses are left out." if staff_view else ""),
            tuple(_visit_entry(ledger, v, staff_view) for v in visits),
        ),
        PackSection(
            "Risk assessments",
            "The dynamic risk assessment of each visit, row by row.",
            tuple(_assessment_entry(ledger, v, a) for v in visits for a in v.risk_assessments),
        ),
        PackSection(
            "Authorisations",
            "Every decision on a visit request (approved, refused, voided).",
            _authorisation_entries(ledger, visits),
        ),
        PackSection(
            "Timeline events",
            "Every logged step of each visit: departures, arrivals, calls, escalation.",
            tuple(_timeline_entry(ledger, v) for v in visits if v.events),
        ),
        PackSection(
            "After-visit records",
            "What was recorded after each visit: facts and opinions are separate fields.",
            tuple(_record_entry(ledger, v) for v in visits if _has_record(v)),
        ),
        PackSection(
            "Follow-up actions",
            "Actions a visit record required, with owner and due date."
            + (" Includes actions they own on other visits." if extra_follow_ups else ""),
            _follow_up_entries(ledger, visits, extra_follow_ups),
        ),
        PackSection(
            "Incidents",
            "Incidents raised on these visits and their review.",
            tuple(_incident_entry(ledger, i) for i in incidents),
        ),
    ]


def _visit_entry(ledger: PackLedger, visit: Visit, staff_view: bool) -> RecordEntry:
    day = format_school_time(visit.planned_start, "%a %d %b %Y")
    staff = "\n".join(
        f"{vs.staff.full_name}, {vs.staff.job_role.label} ({vs.role.label.lower()})"
        for vs in visit.visitors
    )
    home = (
        f"Household {visit.household_id} ({visit.household.area})"
        if staff_view
        else f"{visit.household.address} (household {visit.household_id})"
    )
    announced = (
        "Yes" if visit.announced else f"No: {visit.unannounced_reason or 'no reason recorded'}"
    )
    could_come_in = yes_no(visit.parent_could_come_in)
    if visit.parent_could_come_in_note:
        could_come_in = f"{could_come_in}: {visit.parent_could_come_in_note}".lstrip(": ")
    fields: list[tuple[str, str]] = [
        ("Status", visit.status.label + (" (practice drill)" if visit.is_drill else "")),
        ("Pupil", visit.pupil.full_name if visit.pupil is not None else "None named"),
        ("Home", home),
        (
            "Reason",
            visit.reason.label + (f": {visit.reason_other}" if visit.reason_other else ""),
        ),
        ("Purpose", visit.purpose),
        (
            "Planned",
            f"{when(visit.planned_start)} to {format_school_time(visit.planned_end, '%H:%M')}",
        ),
        ("Announced to the family", announced),
        ("Could the parent come in instead?", could_come_in or "Not recorded"),
        ("Doorstep or enter", visit.entry_mode.label),
        ("Staff on the visit", staff or "None named"),
    ]
    if visit.lone_visit_justification:
        fields.append(("Why a lone visit", visit.lone_visit_justification))
    if visit.out_of_hours:
        fields.append(
            (
                "Out of hours",
                f"Yes; responsible contact: {visit.responsible_contact_name or 'none'}",
            )
        )
    if visit.joint_visit or visit.social_worker is not None:
        worker = visit.social_worker
        fields.append(
            (
                "Joint visit",
                yes_no(visit.joint_visit)
                + (f", with {worker.name} ({worker.role.label})" if worker else ""),
            )
        )
    if visit.resources_to_take:
        fields.append(("Resources to take", visit.resources_to_take))
    if staff_view and visit.vehicle:
        fields.append(("Vehicle", visit.vehicle))
    if visit.urgent_unplanned:
        fields.append(("Urgent, unplanned", "Yes"))
    if visit.cancellation_cause is not None:
        fields.append(("Cancelled", visit.cancellation_cause.label))
    fields.append(
        (
            "Requested",
            " ".join(
                p
                for p in (
                    when(visit.created_at),
                    f"by {ledger.user(visit.created_by_id)}" if visit.created_by_id else "",
                )
                if p
            )
            + (f"; submitted {when(visit.submitted_at)}" if visit.submitted_at else ""),
        )
    )
    return RecordEntry(f"Visit {visit.id} · {day}", f"Visit {visit.id}", tuple(fields))


def _assessment_entry(ledger: PackLedger, visit: Visit, assessment: RiskAssessment) -> RecordEntry:
    ledger.seen("risk_assessments", [assessment.id])
    ledger.seen("hazards", [h.id for h in assessment.hazards])
    return RecordEntry(
        heading=f"Risk assessment {assessment.id} (visit {visit.id})",
        reference=f"Visit {visit.id}",
        fields=(
            (
                "Made",
                f"{when(assessment.created_at)}"
                + (
                    f" by {ledger.user(assessment.created_by_id)}"
                    if assessment.created_by_id
                    else ""
                ),
            ),
            (
                "Highest risk after controls",
                assessment.highest_residual_band.label
                if assessment.highest_residual_band is not None
                else "Not scored",
            ),
            ("Notes", assessment.notes or "None"),
        ),
        registers=(
            Register(
                "",
                ("Hazard", "Who is at risk", "Before", "Controls", "After"),
                tuple(
                    (
                        h.hazard,
                        h.who_at_risk,
                        f"{h.severity} × {h.likelihood} = {h.severity * h.likelihood}",
                        h.controls or "",
                        f"{h.residual_severity} × {h.residual_likelihood} = "
                        f"{h.residual_severity * h.residual_likelihood}",
                    )
                    for h in assessment.hazards
                ),
                (0.22, 0.16, 0.12, 0.38, 0.12),
            ),
        ),
    )


def _authorisation_entries(ledger: PackLedger, visits: Sequence[Visit]) -> tuple[RecordEntry, ...]:
    entries = []
    for visit in visits:
        if not visit.authorisations:
            continue
        ledger.seen("authorisations", [a.id for a in visit.authorisations])
        entries.append(
            RecordEntry(
                heading=f"Authorisation of visit {visit.id}",
                reference=f"Visit {visit.id}",
                registers=(
                    Register(
                        "",
                        ("Decision", "By", "When", "Conditions and comment", "Voided"),
                        tuple(
                            _decision(a, ledger.user(a.decided_by_id)) for a in visit.authorisations
                        ),
                        (0.13, 0.18, 0.17, 0.32, 0.2),
                    ),
                ),
            )
        )
    return tuple(entries)


def _timeline_entry(ledger: PackLedger, visit: Visit) -> RecordEntry:
    ledger.seen("visit_events", [e.id for e in visit.events])
    rows = []
    for event in visit.events:
        what = event.action.label if event.action is not None else event.kind.label
        if event.stage:
            what += f" (stage {event.stage})"
        details = [
            p
            for p in (
                event.outcome.label if event.outcome is not None else None,
                event.contact_name,
                f"reference {event.reference}" if event.reference else None,
                f"next call by {format_school_time(event.new_deadline, '%H:%M')}"
                if event.new_deadline
                else None,
            )
            if p
        ]
        rows.append(
            (
                when(event.occurred_at),
                what,
                ", ".join(details),
                ledger.user(event.recorded_by_id),
                event.note or "",
            )
        )
    return RecordEntry(
        heading=f"Timeline of visit {visit.id}",
        reference=f"Visit {visit.id}",
        registers=(
            Register(
                "",
                ("When", "What", "Outcome", "Recorded by", "Note"),
                tuple(rows),
                (0.17, 0.22, 0.2, 0.14, 0.27),
            ),
        ),
    )


def _record_entry(ledger: PackLedger, visit: Visit) -> RecordEntry:
    written = when(visit.record_written_at)
    if visit.record_written_by_id:
        written += f" by {ledger.user(visit.record_written_by_id)}"
    on_system = when(visit.recorded_on_safeguarding_system_at)
    if visit.recorded_on_safeguarding_system_by_id:
        on_system += f" by {ledger.user(visit.recorded_on_safeguarding_system_by_id)}"
    fields = [
        ("Child seen", yes_no(visit.child_seen) or "Not recorded"),
        ("Spoken to", visit.spoken_to or ""),
        ("Observations (facts)", visit.observations or ""),
        ("Opinions", visit.opinions or ""),
        ("Concerns raised", visit.concerns_raised or ""),
        ("Outcome", visit.outcome or ""),
        ("Action required", visit.action_required or ""),
        ("Visit completed", when(visit.completed_at)),
        ("Record written", written.strip()),
        ("Put on the safeguarding system (CPOMS)", on_system.strip()),
    ]
    return RecordEntry(
        heading=f"Record of visit {visit.id}",
        reference=f"Visit {visit.id}",
        fields=tuple((label, value) for label, value in fields if value),
    )


def _follow_up_entries(
    ledger: PackLedger, visits: Sequence[Visit], extra: Sequence[FollowUp]
) -> tuple[RecordEntry, ...]:
    entries = []
    shown: set[int] = set()
    groups: list[tuple[str, str, list[FollowUp]]] = [
        (f"Follow-ups of visit {v.id}", f"Visit {v.id}", list(v.follow_ups))
        for v in visits
        if v.follow_ups
    ]
    for group in groups:
        shown.update(f.id for f in group[2])
    others = [f for f in extra if f.id not in shown]
    if others:
        groups.append(("Follow-ups they own on other visits", "Follow-ups owned", others))
    for heading, reference, follow_ups in groups:
        ledger.seen("follow_ups", [f.id for f in follow_ups])
        entries.append(
            RecordEntry(
                heading=heading,
                reference=reference,
                registers=(
                    Register(
                        "",
                        ("Visit", "Action", "Owner", "Due", "Done"),
                        tuple(_follow_up(f, ledger.user(f.done_by_id)) for f in follow_ups),
                        (0.08, 0.37, 0.17, 0.12, 0.26),
                    ),
                ),
            )
        )
    return tuple(entries)


def _incident_entry(ledger: PackLedger, incident: Incident) -> RecordEntry:
    ledger.seen("incidents", [incident.id])
    raised = when(incident.raised_at)
    if incident.raised_by_id:
        raised += f" by {ledger.user(incident.raised_by_id)}"
    fields = [
        ("Kind", incident.kind.label + (" (practice drill)" if incident.is_drill else "")),
        ("Status", incident.status.label),
        ("Visit", f"Visit {incident.visit_id}" if incident.visit_id else "None"),
        ("Occurred", when(incident.occurred_at)),
        ("Raised", raised),
        ("Summary", incident.summary),
        (
            "Highest stage reached",
            f"Stage {incident.highest_stage}" if incident.highest_stage else "",
        ),
        ("Resolution", incident.resolution or ""),
        (
            "Resolved",
            when(incident.resolved_at)
            + (f" by {ledger.user(incident.resolved_by_id)}" if incident.resolved_by_id else ""),
        ),
        ("What happened", incident.what_happened or ""),
        (
            "Debrief",
            " ".join(p for p in (when(incident.debrief_held_at), incident.debrief_with or "") if p),
        ),
        ("Support offered", incident.support_offered or ""),
        ("Lessons", incident.lessons or ""),
        ("Changes to the procedure", incident.procedure_changes or ""),
        ("Review due", day(incident.review_due_on)),
        (
            "Signed off",
            when(incident.signed_off_at)
            + (
                f" by {ledger.user(incident.signed_off_by_id)}" if incident.signed_off_by_id else ""
            ),
        ),
    ]
    return RecordEntry(
        heading=f"Incident {incident.id} · {day(to_school_time(incident.occurred_at).date())}",
        reference=f"Incident {incident.id}",
        fields=tuple((label, value) for label, value in fields if value.strip()),
    )


def _has_record(visit: Visit) -> bool:
    return any(
        value is not None
        for value in (
            visit.child_seen,
            visit.spoken_to,
            visit.observations,
            visit.opinions,
            visit.concerns_raised,
            visit.outcome,
            visit.action_required,
            visit.record_written_at,
        )
    )


def _decision(authorisation: Authorisation, by: str) -> tuple[str, ...]:
    said = "\n".join(
        p
        for p in (
            f"Conditions: {authorisation.conditions}" if authorisation.conditions else "",
            authorisation.comment or "",
        )
        if p
    )
    voided = when(authorisation.voided_at)
    if authorisation.void_reason:
        voided += f": {authorisation.void_reason}"
    return (authorisation.decision.label, by, when(authorisation.decided_at), said, voided)


def _follow_up(follow_up: FollowUp, done_by: str) -> tuple[str, ...]:
    done = "Not yet"
    if follow_up.done_at is not None:
        done = when(follow_up.done_at) + (f" by {done_by}" if done_by else "")
        if follow_up.done_note:
            done += f": {follow_up.done_note}"
    return (
        str(follow_up.visit_id),
        follow_up.action,
        follow_up.owner.full_name if follow_up.owner is not None else "",
        day(follow_up.due_on),
        done,
    )
