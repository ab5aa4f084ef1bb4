"""The demo school: a believable, fictional Riverside Academy, seeded relative to now.

The board must look alive whenever the demo is opened, so the live visits are placed around
`clock.now()` (one due in five minutes, one twenty minutes overdue...). Everything else is a
year of history drawn from a seeded `random.Random`: a given seed and clock always give the
same school, which tests, screenshots and the training notes rely on.

The seeder writes through the ORM into an empty database and leaves the commit to the caller.
"""

from __future__ import annotations

import functools
import hashlib
import math
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from hvdesk.clock import SCHOOL_ZONE, Clock
from hvdesk.db.models import (
    Adult,
    Authorisation,
    Hazard,
    Household,
    Incident,
    KnownRisk,
    Professional,
    Pupil,
    PupilAdult,
    RiskAssessment,
    Setting,
    Staff,
    UserAccount,
    Visit,
    VisitEvent,
    VisitStaff,
)
from hvdesk.demo import names
from hvdesk.demo.accounts import DEMO_PASSWORD
from hvdesk.demo.follow_ups import add_follow_ups
from hvdesk.domain.households import ProfessionalRole, Relationship, RiskKind
from hvdesk.domain.incidents import IncidentKind, IncidentStatus
from hvdesk.domain.passwords import hash_password
from hvdesk.domain.people import DbsLevel, JobRole, Role
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.risk import BandThresholds
from hvdesk.domain.risk_matrix import standard_rows
from hvdesk.domain.statistics import school_year_of
from hvdesk.domain.visits import (
    ActionOutcome,
    AuthorisationDecision,
    CancellationCause,
    EntryMode,
    EscalationAction,
    EventKind,
    VisitorRole,
    VisitReason,
    VisitStatus,
)

T = TypeVar("T")

# The live states the demo promises (DemoSummary.states keys), in board order.
STATE_NAMES: tuple[str, ...] = (
    "planned",
    "awaiting_authorisation",
    "not_signed_out",
    "out_on_time",
    "due_soon",
    "overdue_stage1",
    "overdue_stage2",
    "overdue_stage3",
    "overdue_stage4",
    "arrival_call_missed",
    "pair_out",
)
# States whose visits are on the road now (or should be): no visitor may be on two of them.
OUT_STATES: tuple[str, ...] = (
    "out_on_time",
    "due_soon",
    "overdue_stage1",
    "overdue_stage2",
    "overdue_stage3",
    "overdue_stage4",
    "arrival_call_missed",
)


PAST_DAYS = 365
TARGET_PUPILS = 150
PAIR_SHARE = 0.8
BANDS = BandThresholds()
# School holidays, roughly as an English local authority sets them: (from, to) as (month, day).
HOLIDAYS: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = (
    ((1, 1), (1, 3)),
    ((2, 14), (2, 22)),
    ((3, 30), (4, 12)),
    ((5, 25), (5, 31)),
    ((7, 22), (9, 2)),
    ((10, 24), (11, 1)),
    ((12, 20), (12, 31)),
)
_ASCII = str.maketrans({"ł": "l", "Ł": "L", "ı": "i", "đ": "d", "Đ": "D", "'": "", " ": ""})
_SECOND_JOBS = (
    JobRole.ATTENDANCE_OFFICER,
    JobRole.FAMILY_SUPPORT_WORKER,
    JobRole.PASTORAL_LEAD,
    JobRole.TEACHING_ASSISTANT,
    JobRole.TEACHER,
    JobRole.DEPUTY_DSL,
    JobRole.SENCO,
)
_SAME_DAY_REASONS = (
    VisitReason.WELFARE_CHECK,
    VisitReason.OTHER_CONTACT_FAILED,
    VisitReason.CHILD_MISSING_EDUCATION,
    VisitReason.EMERGENCY_SAFEGUARDING,
    VisitReason.SUSPECTED_HOLIDAY,
)


@dataclass(frozen=True)
class DemoSummary:
    """What the seeder made: counts for the CLI, and the visit ids of each promised live state
    so tests and the guided tour can point at them."""

    staff: int
    users: int
    pupils: int
    households: int
    adults: int
    visits: int
    events: int
    incidents: int
    states: dict[str, list[int]]


def seed_demo(session: Session, clock: Clock, *, rng_seed: int = 2026) -> DemoSummary:
    """Add the demo school to an empty database (the caller commits).

    Deterministic for a given seed and `clock.now()`; the only source of time is the clock.
    """
    for model in (Staff, Household, Visit):
        if session.scalar(select(func.count()).select_from(model)):
            raise ValueError("The demo school can only be added to an empty database.")
    return _Seeder(session, clock.now(), random.Random(rng_seed)).run()


# --- Helpers -----------------------------------------------------------------------------------


@functools.cache
def demo_password_hash() -> str:
    """One hash of DEMO_PASSWORD shared by every demo account (and every demo seeded by this
    process): scrypt costs about 60 ms, too much to pay per account."""
    return hash_password(DEMO_PASSWORD)


def _ascii(text: str) -> str:
    """A name as plain letters, for usernames and e-mail addresses."""
    flat = unicodedata.normalize("NFKD", text.translate(_ASCII))
    return flat.encode("ascii", "ignore").decode("ascii")


def _at_local(day: date, hour: int, minute: int) -> datetime:
    """A school wall-clock time on a day, as a UTC instant (BST or GMT as the day has it)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SCHOOL_ZONE).astimezone(UTC)


def _ceil_minutes(instant: datetime, minutes: int) -> datetime:
    """The first instant at or after `instant` on a whole multiple of `minutes`."""
    step = minutes * 60
    return datetime.fromtimestamp(math.ceil(instant.timestamp() / step) * step, tz=UTC)


def _is_school_day(day: date) -> bool:
    if day.weekday() >= 5:
        return False
    key = (day.month, day.day)
    return not any(start <= key <= end for start, end in HOLIDAYS)


def _minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _feminine(surname: str, female: bool) -> str:
    """Pick the form of a "masc/fem" surname (Wiśniewski/Wiśniewska)."""
    masc, _, fem = surname.partition("/")
    return (fem or masc) if female else masc


@dataclass(eq=False)
class _Home:
    """A household being built, with what the visit generator needs to know about it."""

    household: Household
    area: names.Area
    pupils: list[Pupil] = field(default_factory=list)
    adults: list[tuple[Adult, Relationship, bool]] = field(default_factory=list)
    risks: list[KnownRisk] = field(default_factory=list)
    professionals: list[Professional] = field(default_factory=list)
    weight: int = 1

    def active_risks(self, at: datetime) -> list[KnownRisk]:
        return [
            r for r in self.risks if r.recorded_at <= at and (r.ended_at is None or r.ended_at > at)
        ]

    def has_risk(self, at: datetime, *kinds: RiskKind) -> bool:
        return any(r.kind in kinds for r in self.active_risks(at))


@dataclass(eq=False)
class _Plan:
    """A past visit decided before it is written: when, who, where and how it ended."""

    home: _Home
    pupil: Pupil
    reason: VisitReason
    start: datetime
    end: datetime
    team: list[int]
    out_of_hours: bool
    fate: str = "completed"  # completed | cancelled | escalated
    cause: CancellationCause | None = None
    story: names.EscalationStory | None = None
    schedule_change: bool = False
    visit: Visit | None = None


@dataclass
class _Timing:
    """Where a live visit stands against now."""

    start: datetime
    end: datetime
    signed_out: datetime | None = None
    arrived: datetime | None = None
    stage: int = 0


class _Seeder:
    """Builds the school in three flushes (people, families, visits and incidents), then
    bulk-inserts the thousands of leaf rows (hazards, visitors, decisions, timelines)."""

    def __init__(self, session: Session, now: datetime, rng: random.Random) -> None:
        if now.tzinfo is None:
            raise ValueError("the clock must give an aware time")
        self.session = session
        self.now = now.astimezone(UTC)
        self.today = self.now.astimezone(SCHOOL_ZONE).date()
        self.rng = rng
        self.mobiles = [f"07700 900{n:03d}" for n in range(1000)]
        self.landlines = [f"01632 960{n:03d}" for n in range(1000)]
        rng.shuffle(self.mobiles)
        rng.shuffle(self.landlines)
        self.staff: list[Staff] = []
        self.users: list[UserAccount] = []
        self.user_by_staff: dict[int, UserAccount] = {}
        self.reception: list[UserAccount] = []
        self.authorisers: list[tuple[UserAccount, int]] = []
        self.homes: list[_Home] = []
        self.busy: list[list[tuple[datetime, datetime]]] = []
        self.visits: list[Visit] = []
        self.incidents: list[Incident] = []
        # Leaf rows (no children, no identity needed) wait here for one bulk insert each.
        self.visitor_rows: list[tuple[Visit, dict[str, Any]]] = []
        self.decision_rows: list[tuple[Visit, dict[str, Any]]] = []
        self.assessment_rows: list[tuple[Visit, dict[str, Any], list[dict[str, Any]]]] = []
        self.timeline: dict[Visit, list[dict[str, Any]]] = {}
        self.n_events = 0
        self.n_adults = 0
        self.n_pupils = 0
        self._used: set[str] = set()
        self._postcodes: dict[str, str] = {}

    # -- small random helpers -----------------------------------------------------------------

    def pick(self, items: Sequence[T]) -> T:
        return items[self.rng.randrange(len(items))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def unique(self, value: str) -> bool:
        """Remember a value; False if it was already used (registrations, UPNs...)."""
        if value in self._used:
            return False
        self._used.add(value)
        return True

    def mobile(self) -> str:
        return self.mobiles.pop()

    def secs(self, top: int = 59) -> timedelta:
        return timedelta(seconds=self.rng.randint(0, top))

    def days_ago(self, lo: int, hi: int) -> datetime:
        """A time of day in office hours, between `lo` and `hi` days before today."""
        day = self.today - timedelta(days=self.rng.randint(lo, hi))
        return _at_local(day, self.rng.randint(8, 16), self.rng.randrange(0, 60))

    def around_now(self, lo: float, hi: float, step: int = 5) -> datetime:
        """A round wall-clock time between `lo` and `hi` minutes from now (negative: ago).

        Round minutes look like times people agree; a window too narrow for a multiple of
        `step` falls back to whole minutes. A 15-second margin keeps the promise strict.
        """
        earliest = self.now + _minutes(lo) + timedelta(seconds=15)
        latest = self.now + _minutes(hi) - timedelta(seconds=15)
        for size in (step, 1):
            first = _ceil_minutes(earliest, size)
            count = int((latest - first) // _minutes(size)) + 1
            if count > 0:
                return first + _minutes(size * self.rng.randrange(count))
        return earliest.replace(microsecond=0)

    # -- the whole run --------------------------------------------------------------------------

    def run(self) -> DemoSummary:
        self.make_staff()
        self.make_users()
        self.session.flush()
        self.make_settings()
        self.make_households()
        plans = self.plan_past_visits()
        self.session.flush()
        for plan in plans:
            self.write_past(plan)
        states = self.make_live_visits()
        self.make_incidents(plans)
        self.session.add_all(self.visits)
        self.session.add_all(self.incidents)
        self.session.flush()
        self.insert_leaves()
        add_follow_ups(self.session, self.now)  # records' authors and follow-ups
        return DemoSummary(
            staff=len(self.staff),
            users=len(self.users),
            pupils=self.n_pupils,
            households=len(self.homes),
            adults=self.n_adults,
            visits=len(self.visits),
            events=self.n_events,
            incidents=len(self.incidents),
            states={k: [v.id for v in states[k]] for k in STATE_NAMES},
        )

    def insert_leaves(self) -> None:
        """Visitors, decisions, hazards and timelines as ORM bulk inserts: thousands of rows
        that need no identity in the session, which keeps seeding well under two seconds."""
        self.bulk(RiskAssessment, [{**a, "visit_id": v.id} for v, a, _ in self.assessment_rows])
        # Each visit has exactly one assessment, so the visit id finds its assessment's id.
        rows = self.session.execute(select(RiskAssessment.visit_id, RiskAssessment.id))
        assessment_of = {visit_id: assessment_id for visit_id, assessment_id in rows}
        self.bulk(
            Hazard,
            [
                {**h, "assessment_id": assessment_of[v.id]}
                for v, _, hazards in self.assessment_rows
                for h in hazards
            ],
        )
        self.bulk(VisitStaff, [{**row, "visit_id": v.id} for v, row in self.visitor_rows])
        self.bulk(Authorisation, [{**row, "visit_id": v.id} for v, row in self.decision_rows])
        self.bulk(
            VisitEvent,
            [{**row, "visit_id": v.id} for v, rows in self.timeline.items() for row in rows],
        )

    def bulk(self, model: type[Any], rows: list[dict[str, Any]]) -> None:
        # render_nulls keeps every row the same shape, so each table is one statement.
        if rows:
            self.session.execute(insert(model).execution_options(render_nulls=True), rows)

    # -- people ---------------------------------------------------------------------------------

    def make_staff(self) -> None:
        for entry in names.STAFF:
            visiting = entry.job is not JobRole.OFFICE
            staff = Staff(
                first_name=entry.first,
                last_name=entry.last,
                job_role=entry.job,
                email=f"{_ascii(entry.first)[0]}.{_ascii(entry.last)}@"
                f"{names.SCHOOL_EMAIL_DOMAIN}".lower(),
                work_mobile=self.mobile() if visiting else None,
                emergency_contact_name=entry.contact_name,
                emergency_contact_relationship=entry.contact_relationship,
                emergency_contact_phone=self.mobile(),
                description=entry.description,
                safeguarding_trained_on=self.today - timedelta(days=self.rng.randint(20, 640)),
                dbs_level=(
                    DbsLevel.ENHANCED_BARRED
                    if visiting and entry.job is not JobRole.TEACHING_ASSISTANT
                    else DbsLevel.ENHANCED
                ),
                dbs_checked_on=self.today - timedelta(days=self.rng.randint(60, 1000)),
                active=True,
            )
            if visiting and self.chance(0.85):
                make, model = self.pick(names.VEHICLES)
                staff.vehicle_make = make
                staff.vehicle_model = model
                staff.vehicle_colour = self.pick(names.VEHICLE_COLOURS)
                staff.vehicle_registration = self.registration()
            self.staff.append(staff)
            self.busy.append([])
        for staff, entry in zip(self.staff, names.STAFF, strict=True):
            if entry.supervisor is not None:
                staff.supervisor = self.staff[entry.supervisor]
        # Two records out of date on purpose, for the checks that will flag them.
        by_name = {s.full_name: s for s in self.staff}
        by_name["Callum Reid"].safeguarding_trained_on = self.today - timedelta(days=1160)
        by_name["Daniel Osei"].dbs_checked_on = self.today - timedelta(days=2210)
        self.session.add_all(self.staff)

    def registration(self) -> str:
        """A current-style UK plate (LK19 XRT): area letters, age identifier, three letters."""
        while True:
            year = self.rng.randint(self.today.year - 12, self.today.year - 1) % 100
            age = year + (50 if self.chance(0.5) else 0)
            tail = "".join(self.pick(names.REG_LETTERS) for _ in range(3))
            plate = f"{self.pick(names.REG_AREAS)}{age:02d} {tail}"
            if self.unique(plate):
                return plate

    def make_users(self) -> None:
        roles: dict[JobRole, Role] = {
            JobRole.HEADTEACHER: Role.HEADTEACHER,
            JobRole.DSL: Role.DSL,
            JobRole.DEPUTY_DSL: Role.DEPUTY_DSL,
            JobRole.SLT: Role.SLT,
        }
        created = self.now - timedelta(days=420)
        no_account = {"Callum Reid", "Ioana Popescu", "Marcus Bennett"}
        for index, staff in enumerate(self.staff):
            if staff.full_name in no_account:
                continue
            if staff.job_role is JobRole.OFFICE:
                role = (
                    Role.ADMINISTRATOR
                    if "systems" in names.STAFF[index].title
                    else (Role.RECEPTION)
                )
            else:
                role = roles.get(staff.job_role, Role.VISITING_STAFF)
            user = UserAccount(
                username=self.username(staff.first_name, staff.last_name),
                display_name=staff.full_name,
                role=role,
                staff=staff,
                password_hash=demo_password_hash(),
                active=True,
                created_at=created + _minutes(index * 7),
                failed_sign_ins=0,
            )
            self.users.append(user)
            self.user_by_staff[index] = user
            if role is Role.RECEPTION:
                self.reception.append(user)
            if role in (Role.DSL, Role.DEPUTY_DSL):
                self.authorisers.append((user, index))
        # An account that is not a member of staff: the trust's IT support.
        self.users.append(
            UserAccount(
                username="it.support",
                display_name="IT support (Brookford Schools ICT)",
                role=Role.ADMINISTRATOR,
                password_hash=demo_password_hash(),
                active=True,
                created_at=created,
                failed_sign_ins=0,
            )
        )
        self.session.add_all(self.users)

    def username(self, first: str, last: str) -> str:
        base = f"{_ascii(first)[0]}.{_ascii(last)}".lower()
        name, n = base, 1
        while not self.unique(f"user:{name}"):
            n += 1
            name = f"{base}{n}"
        return name

    def make_settings(self) -> None:
        stored = SchoolPolicy(school_name=names.SCHOOL_NAME).to_settings()
        admin = next(u for u in self.users if u.role is Role.ADMINISTRATOR and u.staff)
        self.session.add(
            Setting(
                key="school_name",
                value=stored["school_name"],
                updated_at=self.now - timedelta(days=400),
                updated_by_id=admin.id,
            )
        )

    # -- families -------------------------------------------------------------------------------

    def make_households(self) -> None:
        for anchor in names.ANCHOR_FAMILIES:
            area = next(a for a in names.AREAS if a.name == anchor.area)
            home = self.new_home(area)
            for a in anchor.adults:
                self.add_adult(
                    home,
                    a.first,
                    a.last,
                    a.relationship,
                    a.parental_responsibility,
                    a.language,
                    a.lives_with_pupil,
                )
            for first, last in anchor.children:
                self.add_pupil(home, first, last)
        weights = [h.weight for h in names.HERITAGES]
        while self.n_pupils < TARGET_PUPILS:
            heritage = self.rng.choices(names.HERITAGES, weights)[0]
            self.random_family(self.new_home(self.pick(names.AREAS)), heritage)
        for home in self.homes:
            self.add_risks_and_professionals(home)
            self.session.add(home.household)
            self.session.add_all(p for p in home.pupils)
            self.session.add_all(a for a, _, _ in home.adults)

    def new_home(self, area: names.Area) -> _Home:
        while True:
            street = self.pick(area.streets)
            if area.flats and self.chance(0.35):
                line1 = f"Flat {self.rng.randint(1, 40)}, {self.pick(area.flats)}"
                line2: str | None = street
            else:
                line1, line2 = f"{self.rng.randint(1, 140)} {street}", None
            if self.unique(f"addr:{line1}|{line2}|{area.name}"):
                break
        postcode = self.postcode(area, street)
        household = Household(
            address_line1=line1,
            address_line2=line2,
            town=area.town,
            postcode=postcode,
            area=area.name,
            home_phone=self.landlines.pop() if self.chance(0.35) else None,
            location_notes=self.pick(names.LOCATION_NOTES) if self.chance(0.25) else None,
            created_at=self.days_ago(400, 2400),
        )
        home = _Home(household, area, weight=6 if self.chance(0.2) else 1)
        self.homes.append(home)
        return home

    def postcode(self, area: names.Area, street: str) -> str:
        """One postcode per street, in the real format (RV3 7QT)."""
        key = f"{area.name}|{street}"
        if key not in self._postcodes:
            inward = (
                f"{self.rng.randint(1, 9)}{self.pick(names.POSTCODE_INWARD_LETTERS)}"
                f"{self.pick(names.POSTCODE_INWARD_LETTERS)}"
            )
            self._postcodes[key] = f"{area.district} {inward}"
        return self._postcodes[key]

    def random_family(self, home: _Home, heritage: names.Heritage) -> None:
        """Adults then children of one household, shaped the way families are (single
        parents, step-parents without parental responsibility, kinship and foster carers)."""
        rng = self.rng
        surname = self.pick(heritage.surnames)
        other = heritage
        if self.chance(0.1):
            other = rng.choices(names.HERITAGES, [h.weight for h in names.HERITAGES])[0]
        shape = rng.random()
        child_surname = surname
        if shape < 0.50:  # two parents
            father_heritage = other
            father_surname = self.pick(father_heritage.surnames)
            self.add_adult(
                home,
                self.pick(father_heritage.men),
                _feminine(father_surname, False),
                Relationship.FATHER,
                True,
                self.language(father_heritage),
            )
            mother_surname = (
                self.pick(heritage.surnames)
                if heritage.mother_keeps_surname or self.chance(0.15)
                else father_surname
            )
            self.add_adult(
                home,
                self.pick(heritage.women),
                _feminine(mother_surname, True),
                Relationship.MOTHER,
                True,
                self.language(heritage),
            )
            child_surname = father_surname
        elif shape < 0.60:  # mother and her partner, father elsewhere
            self.add_adult(
                home,
                self.pick(heritage.women),
                _feminine(surname, True),
                Relationship.MOTHER,
                True,
                self.language(heritage),
            )
            partner_surname = self.pick(other.surnames)
            self.add_adult(
                home,
                self.pick(other.men),
                _feminine(partner_surname, False),
                Relationship.STEPPARENT,
                False,
                None,
            )
            child_surname = self.pick(heritage.surnames)
            if self.chance(0.5):
                self.add_father_elsewhere(home, heritage, child_surname)
        elif shape < 0.83:  # single mother
            self.add_adult(
                home,
                self.pick(heritage.women),
                _feminine(surname, True),
                Relationship.MOTHER,
                True,
                self.language(heritage),
            )
            if self.chance(0.4):
                child_surname = self.pick(heritage.surnames)
                self.add_father_elsewhere(home, heritage, child_surname)
        elif shape < 0.89:  # single father
            self.add_adult(
                home,
                self.pick(heritage.men),
                _feminine(surname, False),
                Relationship.FATHER,
                True,
                self.language(heritage),
            )
        elif shape < 0.96:  # grandparents as special guardians
            self.add_adult(
                home,
                self.pick(heritage.elder_women),
                _feminine(surname, True),
                Relationship.GUARDIAN,
                True,
                self.language(heritage, 0.3),
            )
            if self.chance(0.5):
                self.add_adult(
                    home,
                    self.pick(heritage.elder_men),
                    _feminine(surname, False),
                    Relationship.GUARDIAN,
                    True,
                    self.language(heritage, 0.3),
                )
        else:  # foster carers: the local authority holds parental responsibility
            carers = names.HERITAGES[0]
            carer_surname = self.pick(carers.surnames)
            self.add_adult(
                home, self.pick(carers.women), carer_surname, Relationship.FOSTER_CARER, False, None
            )
            if self.chance(0.6):
                self.add_adult(
                    home,
                    self.pick(carers.men),
                    carer_surname,
                    Relationship.FOSTER_CARER,
                    False,
                    None,
                )
            home.professionals.append(self.professional(ProfessionalRole.SOCIAL_WORKER))
        if shape < 0.89 and self.chance(0.12):
            self.add_adult(
                home,
                self.pick(heritage.elder_women),
                _feminine(surname, True),
                Relationship.GRANDPARENT,
                False,
                self.language(heritage, 0.3),
            )
        elif self.chance(0.04):
            self.add_adult(
                home,
                self.pick(heritage.boys),
                _feminine(child_surname, False),
                Relationship.SIBLING,
                False,
                None,
            )
        count = self.rng.choices((1, 2, 3), (66, 27, 7))[0]
        taken: list[str] = []
        for _ in range(count):
            female = self.chance(0.5)
            pool = heritage.girls if female else heritage.boys
            if other is not heritage and self.chance(0.4):
                pool = other.girls if female else other.boys
            first = self.pick(pool)
            if first in taken:
                continue
            taken.append(first)
            self.add_pupil(home, first, _feminine(child_surname, female))

    def language(self, heritage: names.Heritage, extra: float = 0.0) -> str | None:
        if heritage.languages and self.chance(heritage.language_share + extra):
            return self.pick(heritage.languages)
        return None

    def add_father_elsewhere(self, home: _Home, heritage: names.Heritage, surname: str) -> None:
        """A father with parental responsibility who lives at another address."""
        self.add_adult(
            home,
            self.pick(heritage.men),
            _feminine(surname, False),
            Relationship.FATHER,
            True,
            None,
            lives_with=False,
        )

    def add_adult(
        self,
        home: _Home,
        first: str,
        last: str,
        relationship: Relationship,
        pr: bool,
        language: str | None,
        lives_with: bool = True,
    ) -> None:
        adult = Adult(
            household=home.household if lives_with else None,
            first_name=first,
            last_name=last,
            phone=self.mobile() if self.chance(0.9) else None,
            email=(
                f"{_ascii(first)}.{_ascii(last)}{self.rng.randint(1, 99)}@"
                f"{self.pick(names.PRIVATE_EMAIL_DOMAINS)}".lower()
                if self.chance(0.45)
                else None
            ),
            preferred_language=language,
        )
        self.n_adults += 1
        home.adults.append((adult, relationship, pr))
        for pupil in home.pupils:
            self.link(pupil, adult, relationship, pr, lives_with)

    def link(self, pupil: Pupil, adult: Adult, rel: Relationship, pr: bool, lives: bool) -> None:
        pupil.adult_links.append(
            PupilAdult(
                adult=adult,
                relationship_to_pupil=rel,
                parental_responsibility=pr,
                lives_with_pupil=lives,
            )
        )

    def add_pupil(self, home: _Home, first: str, last: str) -> None:
        taken = [p.year_group for p in home.pupils]
        free = [y for y in range(7, 14) if y not in taken] or list(range(7, 14))
        year = self.pick(free)
        born_from = date(school_year_of(self.today) - year - 5, 9, 1)
        dob = born_from + timedelta(days=self.rng.randint(0, 364))
        while True:
            upn = f"UPN-{self.pick('ABDEFGHJKLMNPRTUVWXY')}{self.rng.randint(10**8, 10**9 - 1)}"
            if self.unique(upn):
                break
        pupil = Pupil(
            mis_id=upn,
            first_name=first,
            last_name=last,
            date_of_birth=dob,
            year_group=year,
            household=home.household,
            active=True,
        )
        self.n_pupils += 1
        home.pupils.append(pupil)
        for adult, rel, pr in home.adults:
            self.link(pupil, adult, rel, pr, adult.household is not None)

    def add_risks_and_professionals(self, home: _Home) -> None:
        recorders = [u for u, _ in self.authorisers] + self.reception
        if self.chance(0.3):
            kinds = list(names.KNOWN_RISKS)
            weights = [5, 4, 2, 4, 3, 2, 4, 1]
            chosen = [self.rng.choices(kinds, weights)[0]]
            if self.chance(0.3):
                second = self.rng.choices(kinds, weights)[0]
                if second not in chosen:
                    chosen.append(second)
            for kind in chosen:
                recorded = self.days_ago(20, 700)
                risk = KnownRisk(
                    kind=kind,
                    description=self.pick(names.KNOWN_RISKS[kind]),
                    recorded_by=self.pick(recorders),
                    recorded_at=recorded,
                )
                if self.chance(0.08):
                    risk.ended_at = recorded + timedelta(days=self.rng.randint(5, 15))
                home.risks.append(risk)
        needs_social_worker = (
            any(r.kind is RiskKind.SAFEGUARDING_HISTORY for r in home.risks)
            and not home.professionals
        )
        if needs_social_worker:
            home.professionals.append(self.professional(ProfessionalRole.SOCIAL_WORKER))
        elif self.chance(0.22):
            roles = list(names.PROFESSIONAL_ORGANISATIONS)
            role = self.rng.choices(roles, [5, 4, 1, 1, 1, 2])[0]
            home.professionals.append(self.professional(role))
        home.household.known_risks = list(home.risks)
        home.household.professionals = list(home.professionals)

    def professional(self, role: ProfessionalRole) -> Professional:
        name = self.pick(names.PROFESSIONAL_NAMES)
        first, _, last = name.partition(" ")
        return Professional(
            name=name,
            role=role,
            organisation=names.PROFESSIONAL_ORGANISATIONS[role],
            phone=self.mobile() if self.chance(0.6) else self.landlines.pop(),
            email=f"{_ascii(first)}.{_ascii(last)}@{names.COUNCIL_EMAIL_DOMAIN}".lower(),
        )

    # -- scheduling -------------------------------------------------------------------------------

    def is_free(self, index: int, start: datetime, end: datetime) -> bool:
        return all(end <= s or start >= e for s, e in self.busy[index])

    def choose_team(
        self,
        reason: VisitReason,
        start: datetime,
        end: datetime,
        *,
        pair: bool,
        pool: Sequence[int],
        margin: timedelta = timedelta(minutes=20),
    ) -> list[int] | None:
        """A lead suited to the reason and, for a pair, a second; both free around the visit."""
        lo, hi = start - margin, end + margin
        free = [i for i in pool if self.is_free(i, lo, hi)]
        if not free:
            return None
        lead: int | None = None
        for job in names.LEAD_JOBS[reason]:
            fits = [i for i in free if self.staff[i].job_role is job]
            if fits:
                lead = self.pick(fits)
                break
        if lead is None:
            fits = [i for i in free if self.staff[i].job_role in _SECOND_JOBS]
            lead = self.pick(fits or free)
        team = [lead]
        if pair:
            seconds = [i for i in free if i != lead and self.staff[i].job_role in _SECOND_JOBS]
            if seconds:
                team.append(self.pick(seconds))
        for i in team:
            self.busy[i].append((lo, hi))
        return team

    # -- past visits ------------------------------------------------------------------------------

    def plan_past_visits(self) -> list[_Plan]:
        """A year of school days of visits, then which of them went wrong, and how."""
        pool = [
            i
            for i, s in enumerate(self.staff)
            if s.job_role not in (JobRole.OFFICE, JobRole.HEADTEACHER)
        ]
        reasons = list(names.REASON_WEIGHTS)
        reason_weights = list(names.REASON_WEIGHTS.values())
        home_weights = [h.weight for h in self.homes]
        plans: list[_Plan] = []
        for back in range(PAST_DAYS, 0, -1):
            day = self.today - timedelta(days=back)
            if not _is_school_day(day):
                continue
            for _ in range(self.pick((0, 1, 1, 2, 2, 2, 3, 3, 4))):
                reason = self.rng.choices(reasons, reason_weights)[0]
                home = self.rng.choices(self.homes, home_weights)[0]
                out_of_hours = self.chance(0.02)
                if out_of_hours:
                    start = _at_local(day, 17, self.pick((30, 45)))
                else:
                    start = _at_local(day, self.rng.randint(9, 15), self.pick((0, 15, 30, 45)))
                length = self.pick((30, 45, 60, 60, 60, 75, 90))
                if reason is VisitReason.TUTORING:
                    length = self.pick((60, 90))
                elif reason is VisitReason.WORK_OR_EQUIPMENT:
                    length = 30
                end = start + _minutes(length)
                risky = home.has_risk(start, RiskKind.AGGRESSION, RiskKind.DO_NOT_ENTER_ALONE)
                pair = risky or self.chance(PAIR_SHARE)
                team = self.choose_team(reason, start, end, pair=pair, pool=pool)
                if team is None:
                    continue
                plans.append(
                    _Plan(home, self.pick(home.pupils), reason, start, end, team, out_of_hours)
                )
        self.choose_fates(plans)
        return plans

    def choose_fates(self, plans: list[_Plan]) -> None:
        # Six missed check-ins spread over the year, the last one recent, six different leads.
        leads: list[int] = []
        for story, share in zip(
            names.ESCALATION_STORIES, (0.08, 0.25, 0.42, 0.6, 0.78, 0.97), strict=True
        ):
            target = int(share * len(plans)) + self.rng.randint(-3, 3)
            _, plan = min(
                (
                    (abs(i - target), p)
                    for i, p in enumerate(plans)
                    if p.fate == "completed" and p.team[0] not in leads
                ),
                key=lambda pair: pair[0],
            )
            leads.append(plan.team[0])
            plan.fate, plan.story = "escalated", story
        causes = list(names.CANCELLATION_WEIGHTS)
        weights = list(names.CANCELLATION_WEIGHTS.values())
        for plan in plans:
            if plan.fate == "completed" and self.chance(0.1):
                plan.fate = "cancelled"
                plan.cause = self.rng.choices(causes, weights)[0]
            elif plan.fate == "completed" and self.chance(0.04):
                plan.schedule_change = True
        # The incidents need one dog that was not shut away and one visit that felt unsafe.
        for cause in (CancellationCause.ANIMAL_NOT_SECURED, CancellationCause.FELT_UNSAFE):
            matching = [p for p in plans if p.cause is cause]
            if not matching:
                pick = self.pick([p for p in plans[: len(plans) // 2] if p.fate == "completed"])
                pick.fate, pick.cause, pick.schedule_change = "cancelled", cause, False
        # What staff met is recorded on the household the next day, so later visits know.
        for cause, kind, text in (
            (CancellationCause.FELT_UNSAFE, RiskKind.AGGRESSION, names.UNSAFE_RISK),
            (CancellationCause.ANIMAL_NOT_SECURED, RiskKind.DOG, names.ANIMAL_RISK),
        ):
            plan = next(p for p in plans if p.cause is cause)
            recorded = plan.end + timedelta(days=1)
            if recorded < self.now and not plan.home.has_risk(recorded, kind):
                risk = KnownRisk(
                    kind=kind,
                    description=text.format(date=f"{plan.start.astimezone(SCHOOL_ZONE):%d %B %Y}"),
                    recorded_by=self.authorisers[0][0],
                    recorded_at=recorded,
                )
                plan.home.risks.append(risk)
                plan.home.household.known_risks.append(risk)

    def new_visit(
        self,
        home: _Home,
        pupil: Pupil,
        reason: VisitReason,
        start: datetime,
        end: datetime,
        team: list[int],
        status: VisitStatus,
        created_at: datetime,
        submitted_at: datetime | None,
        *,
        out_of_hours: bool = False,
        urgent: bool = False,
    ) -> Visit:
        """The request as the office would have filled it in, with its risk assessment."""
        lead = self.staff[team[0]]
        lone = len(team) == 1
        announced = reason not in names.UNANNOUNCED_REASONS or self.chance(0.25)
        doorstep = (
            lone
            or home.has_risk(created_at, RiskKind.AGGRESSION, RiskKind.HEALTH)
            or reason in (VisitReason.WORK_OR_EQUIPMENT, VisitReason.COLLECT_OR_DROP_CHILD)
            or self.chance(0.3)
        )
        purpose = self.pick(names.PURPOSES[reason])
        # The necessity check (000, 001): could the parent have come in instead?
        # Every request in the demo answers it (an unanswered one could never be submitted).
        could_come_in_note = names.NECESSITY_NOTES.get(purpose)
        could_come_in = False
        social_worker = next(
            (p for p in home.professionals if p.role is ProfessionalRole.SOCIAL_WORKER), None
        )
        joint = social_worker is not None and (
            reason is VisitReason.EMERGENCY_SAFEGUARDING or self.chance(0.15)
        )
        contact = self.staff[0] if out_of_hours else None  # the head answers the phone
        creator = self.user_by_staff.get(team[0]) or self.pick(self.reception)
        visit = Visit(
            household_id=home.household.id,
            pupil_id=pupil.id,
            reason=reason,
            reason_other=names.OTHER_REASON_TEXT if reason is VisitReason.OTHER else None,
            purpose=purpose.format(child=pupil.first_name, pct=self.rng.randint(61, 88)),
            parent_could_come_in=could_come_in,
            parent_could_come_in_note=could_come_in_note,
            announced=announced,
            unannounced_reason=None if announced else names.UNANNOUNCED_REASONS[reason],
            entry_mode=EntryMode.DOORSTEP if doorstep else EntryMode.ENTER,
            planned_start=start,
            planned_end=end,
            status=status,
            lone_visit_justification=self.pick(names.LONE_JUSTIFICATIONS) if lone else None,
            out_of_hours=out_of_hours,
            responsible_contact_name=contact.full_name if contact else None,
            responsible_contact_phone=contact.work_mobile if contact else None,
            social_worker_id=social_worker.id if joint and social_worker else None,
            joint_visit=joint,
            resources_to_take=names.RESOURCES.get(reason),
            vehicle=self.vehicle_text(lead),
            safe_word=self.pick(names.SAFE_WORDS),
            is_drill=False,
            urgent_unplanned=urgent or reason is VisitReason.EMERGENCY_SAFEGUARDING,
            created_by_id=creator.id,
            created_at=created_at,
            submitted_at=submitted_at,
        )
        self.visitor_rows += [
            (
                visit,
                {
                    "staff_id": self.staff[i].id,
                    "role": VisitorRole.LEAD if n == 0 else VisitorRole.SECOND,
                    "position": n,
                },
            )
            for n, i in enumerate(team)
        ]
        self.assessment(visit, home, created_at + _minutes(self.rng.randint(2, 9)), creator.id)
        self.visits.append(visit)
        return visit

    def vehicle_text(self, staff: Staff) -> str | None:
        if not staff.vehicle_registration:
            return None
        return (
            f"{staff.vehicle_colour} {staff.vehicle_make} {staff.vehicle_model}, "
            f"{staff.vehicle_registration}"
        )

    def assessment(self, visit: Visit, home: _Home, created_at: datetime, creator_id: int) -> None:
        """The visit's one risk assessment: the five standard hazards, raised where the
        household has a matching known risk."""
        active = home.active_risks(created_at)
        hostile = next(
            (r for r in active if r.kind in (RiskKind.AGGRESSION, RiskKind.DO_NOT_ENTER_ALONE)),
            None,
        )
        dog = next((r for r in active if r.kind is RiskKind.DOG), None)
        hazards: list[dict[str, Any]] = []
        for position, row in enumerate(standard_rows()):
            severity, likelihood = row.severity, row.likelihood
            controls = row.controls or ""
            res_sev, res_lik = row.residual_severity, row.residual_likelihood
            known: KnownRisk | None = None
            if position == 0 and hostile is not None:
                known, likelihood, res_lik = hostile, self.pick((3, 4)), 2
                controls += names.AGGRESSION_CONTROL
            elif position == 4 and dog is not None:
                known, likelihood, res_lik = dog, self.pick((3, 4)), 2
                controls += names.DOG_CONTROL
            else:
                likelihood = min(5, likelihood + self.pick((0, 0, 1)))
            hazards.append(
                {
                    "position": position,
                    "source": "standard",
                    "hazard": row.hazard,
                    "who_at_risk": row.who_at_risk,
                    "severity": severity,
                    "likelihood": likelihood,
                    "controls": controls,
                    "residual_severity": min(res_sev, severity),
                    "residual_likelihood": min(res_lik, likelihood),
                    "known_risk_id": known.id if known is not None else None,
                }
            )
        worst = max(h["residual_severity"] * h["residual_likelihood"] for h in hazards)
        assessment = {
            "household_id": home.household.id,
            "based_on_id": None,
            "band_low_max": BANDS.low_max,
            "band_medium_max": BANDS.medium_max,
            "highest_residual_band": BANDS.band(worst),
            "notes": self.pick(names.ASSESSMENT_NOTES),
            "created_by_id": creator_id,
            "created_at": created_at,
        }
        self.assessment_rows.append((visit, assessment, hazards))

    def approve(
        self, visit: Visit, team: list[int], submitted: datetime, latest: datetime
    ) -> datetime:
        """An approval by the DSL or a deputy who is not on the visit, before it starts;
        returns when it was decided."""
        choices = [(u, i) for u, i in self.authorisers if i not in team]
        weights = [3 if i == 1 else 2 for _, i in choices]  # the DSL does most of them
        user = self.rng.choices([u for u, _ in choices], weights)[0]
        earliest = submitted + _minutes(3)
        span = max(0, int((latest - earliest).total_seconds() // 60))
        decided = earliest + _minutes(self.rng.randint(0, min(span, 240))) + self.secs()
        decided = self.in_office_hours(min(decided, latest), latest)
        if self.chance(0.03) and span > 60:
            decided = min(max(decided, earliest + _minutes(30)), latest)
            self.decision(
                visit,
                decision=AuthorisationDecision.CHANGES_REQUESTED,
                decided_by_id=user.id,
                decided_at=earliest,
                comment="Please make this a pair visit or say why a lone visit is safe.",
            )
        staff_names = ",".join(self.staff[i].full_name for i in team)
        pinned = (
            f"{visit.household_id}|{visit.pupil_id}|{visit.reason.value}|"
            f"{visit.planned_start.isoformat()}|{visit.planned_end.isoformat()}|{staff_names}|"
            f"{visit.entry_mode.value}|{visit.safe_word}"
        )
        self.decision(
            visit,
            decision=AuthorisationDecision.APPROVED,
            decided_by_id=user.id,
            decided_at=decided,
            conditions=self.pick(names.AUTHORISATION_CONDITIONS) if self.chance(0.3) else None,
            approved_hash=_sha256(pinned),
        )
        return decided

    def decision(
        self,
        visit: Visit,
        *,
        decision: AuthorisationDecision,
        decided_by_id: int,
        decided_at: datetime,
        conditions: str | None = None,
        comment: str | None = None,
        approved_hash: str | None = None,
    ) -> None:
        self.decision_rows.append(
            (
                visit,
                {
                    "decision": decision,
                    "decided_by_id": decided_by_id,
                    "decided_at": decided_at,
                    "conditions": conditions,
                    "comment": comment,
                    "approved_hash": approved_hash,
                },
            )
        )

    def event(
        self,
        visit: Visit,
        kind: EventKind,
        at: datetime,
        *,
        staff: int | None = None,
        action: EscalationAction | None = None,
        outcome: ActionOutcome | None = None,
        stage: int | None = None,
        contact_name: str | None = None,
        reference: str | None = None,
        note: str | None = None,
        new_deadline: datetime | None = None,
        by: UserAccount | None = None,
    ) -> datetime:
        """One timeline entry, recorded by reception a few seconds after it happened."""
        at = at.replace(microsecond=0)
        if at > self.now:
            raise ValueError(f"demo event {kind} would be in the future")
        recorder = by or self.pick(self.reception)
        self.timeline.setdefault(visit, []).append(
            {
                "kind": kind,
                "occurred_at": at,
                "recorded_at": min(at + self.secs(40), self.now),
                "recorded_by_id": recorder.id,
                "staff_id": self.staff[staff].id if staff is not None else None,
                "action": action,
                "outcome": outcome,
                "stage": stage,
                "contact_name": contact_name,
                "reference": reference,
                "note": note,
                "new_deadline": new_deadline,
            }
        )
        self.n_events += 1
        return at

    def write_past(self, plan: _Plan) -> None:
        """Write one past visit with its paperwork and its timeline."""
        start, end, lead = plan.start, plan.end, plan.team[0]
        day = start.astimezone(SCHOOL_ZONE).date()
        if plan.reason in _SAME_DAY_REASONS:
            opening = min(_at_local(day, 8, 0), start - _minutes(60))
            created = max(start - _minutes(self.rng.randint(60, 180)), opening)
        else:
            created = _at_local(
                day - timedelta(days=self.rng.randint(1, 10)),
                self.rng.randint(8, 16),
                self.rng.randrange(60),
            )
        submitted = created + _minutes(self.rng.randint(5, 20))
        status = VisitStatus.CANCELLED if plan.fate == "cancelled" else VisitStatus.COMPLETED
        visit = self.new_visit(
            plan.home,
            plan.pupil,
            plan.reason,
            start,
            end,
            plan.team,
            status,
            created,
            submitted,
            out_of_hours=plan.out_of_hours,
        )
        plan.visit = visit
        decided = self.approve(visit, plan.team, submitted, start - _minutes(10))
        cause = plan.cause
        if cause in (
            CancellationCause.PARENT_CANCELLED,
            CancellationCause.STAFF_UNAVAILABLE,
            CancellationCause.OTHER,
        ):
            at = max(decided + _minutes(5), start - _minutes(self.rng.randint(20, 120)))
            self.event(
                visit,
                EventKind.CANCELLED,
                min(at, start - _minutes(1)),
                note=self.pick(names.CANCELLATION_NOTES[cause]).format(child=plan.pupil.first_name),
            )
            visit.cancellation_cause = cause
            return
        signed_out = self.event(
            visit,
            EventKind.SIGNED_OUT,
            start - _minutes(self.rng.randint(2, 12)) - self.secs(),
            staff=lead,
        )
        arrived = self.event(
            visit,
            EventKind.ARRIVED,
            max(signed_out + _minutes(3), start + _minutes(self.rng.randint(-2, 6))) + self.secs(),
            staff=lead,
        )
        if cause is not None:
            self.write_cancelled_on_site(visit, plan, cause, arrived)
            return
        if plan.story is not None:
            back = self.write_escalation(visit, plan, plan.story)
        else:
            deadline = end
            if plan.schedule_change:
                deadline = end + _minutes(15)
                self.event(
                    visit,
                    EventKind.SCHEDULE_CHANGED,
                    arrived + (end - arrived) / 2 + self.secs(),
                    staff=lead,
                    new_deadline=deadline,
                    note=self.pick(names.SCHEDULE_CHANGE_NOTES),
                )
            elif self.chance(0.05):
                self.event(
                    visit,
                    EventKind.CALL_RECEIVED,
                    arrived + _minutes(5),
                    staff=lead,
                    note=self.pick(names.CALL_RECEIVED_NOTES),
                )
            left_at = deadline - _minutes(self.rng.randint(0, 12)) - self.secs()
            left = self.event(
                visit, EventKind.LEFT, max(left_at, arrived + _minutes(10)), staff=lead
            )
            back = self.event(
                visit,
                EventKind.RETURNED,
                left + _minutes(self.rng.randint(6, 25)) + self.secs(),
                staff=lead,
            )
        self.complete(visit, plan, back)

    def write_cancelled_on_site(
        self, visit: Visit, plan: _Plan, cause: CancellationCause, arrived: datetime
    ) -> None:
        lead = plan.team[0]
        wait = 11 if cause is CancellationCause.PARENT_NOT_PRESENT else self.rng.randint(1, 4)
        cancelled = self.event(
            visit,
            EventKind.CANCELLED,
            arrived + _minutes(wait) + self.secs(),
            staff=lead,
            note=self.pick(names.CANCELLATION_NOTES[cause]).format(child=plan.pupil.first_name),
        )
        if cause.is_safety:
            head = self.staff[0]
            self.event(
                visit,
                EventKind.ESCALATION_ACTION,
                cancelled + _minutes(self.rng.randint(20, 50)),
                action=EscalationAction.INFORMED_HEADTEACHER,
                outcome=ActionOutcome.INFORMED,
                contact_name=head.full_name,
                note="Cancelled for safety: headteacher told (policy 003/004).",
            )
        self.event(
            visit,
            EventKind.RETURNED,
            cancelled + _minutes(self.rng.randint(8, 20)) + self.secs(),
            staff=lead,
        )
        visit.cancellation_cause = cause

    def write_escalation(self, visit: Visit, plan: _Plan, story: names.EscalationStory) -> datetime:
        """The ladder of seed 000 as it was climbed, then the call that ended it."""
        end, lead_index = plan.end, plan.team[0]
        lead = self.staff[lead_index]
        self.escalation_steps(
            visit,
            plan.team,
            end,
            min(story.highest_stage, 3),
            emergency_reached=story.emergency_contact_reached,
        )
        if story.highest_stage >= 4:
            day = end.astimezone(SCHOOL_ZONE)
            self.event(
                visit,
                EventKind.ESCALATION_ACTION,
                end + _minutes(30) + self.secs(),
                action=EscalationAction.INFORMED_POLICE,
                outcome=ActionOutcome.INFORMED,
                stage=4,
                reference=f"CAD {self.rng.randint(1000, 9999)} {day:%d/%m}",
                note="Gave the address, the scheduled end time, the known risks, the vehicle and "
                "the work mobile number.",
            )
            self.event(
                visit,
                EventKind.ESCALATION_ACTION,
                end + _minutes(33) + self.secs(),
                action=EscalationAction.INFORMED_HEADTEACHER,
                outcome=ActionOutcome.INFORMED,
                stage=4,
                contact_name=self.staff[0].full_name,
            )
        resolved = end + _minutes(story.resolved_after_minutes) + self.secs()
        self.event(
            visit,
            EventKind.CALL_RECEIVED,
            resolved - _minutes(1),
            staff=lead_index,
            note=f"{lead.first_name} phoned the office.",
        )
        local = resolved.astimezone(SCHOOL_ZONE)
        self.event(
            visit,
            EventKind.RESOLVED,
            resolved,
            staff=lead_index,
            note=story.resolution.format(time=f"{local:%H:%M}"),
        )
        return self.event(
            visit,
            EventKind.RETURNED,
            resolved + _minutes(self.rng.randint(10, 25)),
            staff=lead_index,
        )

    def escalation_steps(
        self,
        visit: Visit,
        team: list[int],
        end: datetime,
        steps: int,
        *,
        emergency_reached: bool = False,
    ) -> None:
        """The first `steps` rungs of the ladder after a missed deadline: 1 call the visitor,
        2 tell the supervisor, 3 call the emergency contact. Each event's `stage` is its rung."""
        lead = self.staff[team[0]]
        self.event(
            visit,
            EventKind.ESCALATION_ACTION,
            end + _minutes(1) + self.secs(),
            staff=team[0],
            action=EscalationAction.CALLED_STAFF,
            outcome=ActionOutcome.NO_ANSWER,
            stage=1,
            note=f"Rang {lead.work_mobile}: straight to voicemail.",
        )
        if steps >= 2:
            supervisor = lead.supervisor
            self.event(
                visit,
                EventKind.ESCALATION_ACTION,
                end + _minutes(3) + self.secs(),
                staff=team[0],
                action=EscalationAction.INFORMED_SUPERVISOR,
                outcome=ActionOutcome.INFORMED,
                stage=2,
                contact_name=supervisor.full_name if supervisor else None,
            )
        if steps >= 3:
            self.event(
                visit,
                EventKind.ESCALATION_ACTION,
                end + _minutes(15) + self.secs(),
                staff=team[0],
                action=EscalationAction.CALLED_EMERGENCY_CONTACT,
                outcome=ActionOutcome.REACHED if emergency_reached else ActionOutcome.NO_ANSWER,
                stage=3,
                contact_name=(
                    f"{lead.emergency_contact_name} ({lead.emergency_contact_relationship})"
                ),
                note="Has not heard from them either." if emergency_reached else None,
            )

    def complete(self, visit: Visit, plan: _Plan, back: datetime) -> None:
        """The record written after the visit: facts, opinions, outcome and follow-up."""
        if plan.reason is VisitReason.EMERGENCY_SAFEGUARDING:
            bundle = self.pick(names.OUTCOMES_EMERGENCY)
        elif plan.reason in names.UNANNOUNCED_REASONS or plan.reason in (
            VisitReason.ATTENDANCE_SUPPORT,
            VisitReason.REFUSING_SCHOOL,
        ):
            bundle = self.pick(names.OUTCOMES_ATTENDANCE)
        else:
            bundle = self.pick(names.OUTCOMES_SUPPORT)
        speakers = [(a, r) for a, r, pr in plan.home.adults if pr and a.household is not None]
        adult, rel = self.pick(speakers or [(a, r) for a, r, _ in plan.home.adults])
        child = plan.pupil.first_name

        def fill(text: str) -> str:
            return text.format(child=child, adult=adult.full_name)

        visit.child_seen = bundle.child_seen
        visit.spoken_to = (
            f"{adult.full_name} ({rel.label.lower()}) and {child}"
            if bundle.child_seen
            else "Neighbour (did not give a name)"
        )
        visit.observations = fill(bundle.observations)
        visit.opinions = fill(bundle.opinions)
        visit.outcome = fill(bundle.outcome)
        visit.action_required = fill(bundle.action_required)
        visit.concerns_raised = fill(bundle.concerns) if bundle.concerns else None
        written = back + _minutes(self.rng.randint(15, 26 * 60))
        if written >= self.now:
            written = back + _minutes(15)
        visit.completed_at = written
        if written < self.now - timedelta(days=3) and self.chance(0.95):
            by = self.pick([u for u, _ in self.authorisers])
            latest = self.now - _minutes(30)
            logged = min(written + _minutes(self.rng.randint(60, 30 * 60)), latest)
            visit.recorded_on_safeguarding_system_at = self.in_office_hours(logged, latest)
            visit.recorded_on_safeguarding_system_by_id = by.id

    # -- live visits ------------------------------------------------------------------------------

    def make_live_visits(self) -> dict[str, list[Visit]]:
        """The board as it is now: every promised state, no visitor on two visits at once."""
        states: dict[str, list[Visit]] = {k: [] for k in STATE_NAMES}
        pool = [
            i
            for i, s in enumerate(self.staff)
            if s.job_role not in (JobRole.OFFICE, JobRole.HEADTEACHER, JobRole.DSL)
        ]
        risky = [h for h in self.homes if h.has_risk(self.now, RiskKind.AGGRESSION, RiskKind.DOG)]
        homes = list(self.homes)
        self.rng.shuffle(homes)
        used: list[_Home] = []

        def next_home(prefer_risky: bool = False) -> _Home:
            candidates = [h for h in (risky if prefer_risky else []) if h not in used]
            home = candidates[0] if candidates else next(h for h in homes if h not in used)
            used.append(home)
            return home

        rng = self.rng
        specs: list[tuple[str, bool]] = [("out_on_time", True)]
        specs += [("out_on_time", self.chance(0.5)) for _ in range(rng.randint(2, 3))]
        specs += [("due_soon", self.chance(0.5)) for _ in range(rng.randint(1, 2))]
        specs += [
            ("overdue_stage1", self.chance(0.5)),
            ("overdue_stage2", self.chance(0.5)),
            ("overdue_stage3", self.chance(0.5)),
            ("overdue_stage4", True),
            ("arrival_call_missed", False),
        ]
        for state, pair in specs:
            timing = self.live_timing(state)
            home = next_home(prefer_risky=state in ("overdue_stage3", "overdue_stage4"))
            visit, team = self.live_visit(home, timing, pair, pool, VisitStatus.OUT)
            self.write_live_events(visit, team, timing)
            states[state].append(visit)
            if len(team) == 2:
                states["pair_out"].append(visit)
        # Authorised, due out twenty to forty minutes ago, not yet signed out.
        start = self.around_now(-40, -20)
        timing = _Timing(start, start + _minutes(self.pick((60, 75, 90))))
        visit, _ = self.live_visit(
            next_home(), timing, self.chance(0.5), pool, VisitStatus.AUTHORISED
        )
        states["not_signed_out"].append(visit)
        # Authorised for later today and tomorrow.
        tomorrow = self.today + timedelta(days=1)
        starts = [
            self.around_now(120, 180, 15),
            _at_local(tomorrow, 10, 0),
            _at_local(tomorrow, 13, 30),
            _at_local(tomorrow, 15, 0),
        ]
        for start in starts[: rng.randint(2, 4)]:
            timing = _Timing(start, start + _minutes(self.pick((45, 60, 90))))
            visit, _ = self.live_visit(
                next_home(), timing, self.chance(0.7), pool, VisitStatus.AUTHORISED
            )
            states["planned"].append(visit)
        # Waiting for the DSL: one urgent for this afternoon, the rest for the coming days.
        for n in range(rng.randint(3, 5)):
            if n == 0:
                start = self.around_now(75, 120, 15)
                submitted = self.around_now(-40, -20, 1) + self.secs()
            else:
                day = self.today + timedelta(days=n)
                while day.weekday() >= 5:
                    day += timedelta(days=1)
                start = _at_local(day, rng.randint(9, 14), self.pick((0, 15, 30, 45)))
                ago = self.pick((90, 20 * 60, 44 * 60))
                submitted = self.office_time_before(self.now - _minutes(ago))
            timing = _Timing(start, start + _minutes(self.pick((45, 60, 75))))
            visit, _ = self.live_visit(
                next_home(),
                timing,
                self.chance(0.7),
                pool,
                VisitStatus.AWAITING_AUTHORISATION,
                submitted=submitted,
                urgent=n == 0,
            )
            states["awaiting_authorisation"].append(visit)
        return states

    def live_timing(self, state: str) -> _Timing:
        """Planned times and phone calls that put a visit in `state` at this very minute."""
        around, pick, rng = self.around_now, self.pick, self.rng
        stage = 0
        if state == "out_on_time":
            start, end = around(-60, -15), around(40, 90)
        elif state == "due_soon":
            end = around(2, 8, 1)
            start = end - _minutes(pick((45, 60, 75)))
        elif state == "arrival_call_missed":
            signed_out = around(-40, -31, 1) + self.secs(30)
            start = signed_out + _minutes(10) - self.secs(30)
            start = start.replace(second=0)
            return _Timing(start, start + _minutes(75), signed_out, None)
        else:
            stage = int(state[-1])
            window = {1: (-3, -1), 2: (-10, -4), 3: (-25, -16), 4: (-45, -31)}[stage]
            end = around(*window, step=1)
            start = end - _minutes(pick((45, 60)))
        signed_out = start - _minutes(rng.randint(3, 10)) - self.secs()
        arrived = start + _minutes(rng.randint(0, 5)) + self.secs()
        return _Timing(start, end, signed_out, arrived, stage)

    def live_visit(
        self,
        home: _Home,
        timing: _Timing,
        pair: bool,
        pool: Sequence[int],
        status: VisitStatus,
        *,
        submitted: datetime | None = None,
        urgent: bool = False,
    ) -> tuple[Visit, list[int]]:
        reason = self.rng.choices(list(names.REASON_WEIGHTS), list(names.REASON_WEIGHTS.values()))[
            0
        ]
        if urgent:
            reason = VisitReason.WELFARE_CHECK
        pair = pair or home.has_risk(self.now, RiskKind.AGGRESSION, RiskKind.DO_NOT_ENTER_ALONE)
        first = timing.signed_out or timing.start
        team = self.choose_team(
            reason, first, timing.end, pair=pair, pool=pool, margin=timedelta(minutes=15)
        )
        if team is None:
            raise RuntimeError("the demo school ran out of free staff for its live visits")
        if submitted is None:
            submitted = self.office_time_before(min(first - _minutes(90), self.now - _minutes(30)))
        created = submitted - _minutes(self.rng.randint(10, 30))
        visit = self.new_visit(
            home,
            self.pick(home.pupils),
            reason,
            timing.start,
            timing.end,
            team,
            status,
            created,
            submitted,
            urgent=urgent,
            out_of_hours=self.outside_hours(timing.start),
        )
        if status is not VisitStatus.AWAITING_AUTHORISATION:
            latest = min(first - _minutes(5), self.now - _minutes(1))
            self.approve(visit, team, submitted, latest)
        return visit, team

    def office_time_before(self, limit: datetime) -> datetime:
        """A time in office hours, on or shortly before `limit`'s day, when a request went in;
        `limit` itself if the office was closed for days (a demo opened at night)."""
        last_day = limit.astimezone(SCHOOL_ZONE).date()
        for back in range(5):
            day = last_day - timedelta(days=back)
            if day.weekday() >= 5:
                continue
            candidate = _at_local(day, self.rng.randint(8, 15), self.rng.randrange(60))
            if candidate <= limit:
                return candidate
        return limit.replace(microsecond=0)

    def in_office_hours(self, at: datetime, latest: datetime) -> datetime:
        """Move a desk task (a decision, a write-up) to when the office is open, unless that
        would be after `latest`."""
        local = at.astimezone(SCHOOL_ZONE)
        if local.weekday() < 5 and 8 <= local.hour < 17:
            return at
        day = local.date() + timedelta(days=1 if local.hour >= 17 else 0)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        moved = _at_local(day, 8, self.rng.randint(5, 50)) + self.secs()
        return moved if moved <= latest else at

    def outside_hours(self, start: datetime) -> bool:
        """Live visits follow the clock, so at night or at weekends they are out of hours."""
        local = start.astimezone(SCHOOL_ZONE)
        return local.weekday() >= 5 or not time(8, 0) <= local.time() <= time(18, 0)

    def write_live_events(self, visit: Visit, team: list[int], timing: _Timing) -> None:
        lead = team[0]
        if timing.signed_out is not None:
            self.event(visit, EventKind.SIGNED_OUT, timing.signed_out, staff=lead)
        if timing.arrived is not None:
            self.event(visit, EventKind.ARRIVED, timing.arrived, staff=lead)
        if timing.stage >= 2:
            # At stage N the first N-1 rungs are done and rung N is due.
            self.escalation_steps(visit, team, timing.end, timing.stage - 1)

    # -- incidents --------------------------------------------------------------------------------

    def make_incidents(self, plans: list[_Plan]) -> None:
        dsl = self.authorisers[0][0]
        head = self.user_by_staff[0]
        escalated = [p for p in plans if p.story is not None]
        statuses = (
            [IncidentStatus.CLOSED] * 3 + [IncidentStatus.UNDER_REVIEW] * 2 + [IncidentStatus.OPEN]
        )
        for plan, status in zip(escalated, statuses, strict=True):
            assert plan.story is not None and plan.visit is not None
            story, visit = plan.story, plan.visit
            lead = self.staff[plan.team[0]]
            resolved = self.find_event(visit, EventKind.RESOLVED)
            deadline = plan.end.astimezone(SCHOOL_ZONE)
            incident = Incident(
                visit=visit,
                kind=IncidentKind.ESCALATION,
                status=status,
                occurred_at=plan.end,
                raised_at=resolved["recorded_at"],
                raised_by_id=self.pick(self.reception).id,
                summary=(
                    f"Missed check-in: {lead.full_name} did not phone in by "
                    f"{deadline:%H:%M} from a visit in {plan.home.area.name}; "
                    f"escalated to stage {story.highest_stage}."
                ),
                highest_stage=story.highest_stage,
                resolution=resolved["note"],
                resolved_at=resolved["occurred_at"],
                resolved_by_id=resolved["recorded_by_id"],
                riddor_reportable=False if status is IncidentStatus.CLOSED else None,
            )
            self.review(incident, plan, status, signer=head if story.highest_stage >= 4 else dsl)
            if status is not IncidentStatus.OPEN:
                incident.what_happened = story.what_happened
            if status is IncidentStatus.CLOSED:
                incident.lessons = story.lessons
                incident.procedure_changes = story.procedure_change
            self.incidents.append(incident)
        for cause, kind, status in (
            (CancellationCause.FELT_UNSAFE, IncidentKind.AGGRESSIVE_ADULT, IncidentStatus.CLOSED),
            (
                CancellationCause.ANIMAL_NOT_SECURED,
                IncidentKind.ANIMAL,
                IncidentStatus.UNDER_REVIEW,
            ),
        ):
            plan = next(p for p in plans if p.cause is cause)
            assert plan.visit is not None
            cancelled = self.find_event(plan.visit, EventKind.CANCELLED)
            when: datetime = cancelled["occurred_at"]
            note: str = cancelled["note"]
            incident = Incident(
                visit=plan.visit,
                kind=kind,
                status=status,
                occurred_at=when,
                raised_at=when + _minutes(self.rng.randint(40, 120)),
                raised_by_id=(self.user_by_staff.get(plan.team[0]) or dsl).id,
                summary=note,
                what_happened=note,
                riddor_reportable=False,
            )
            self.review(incident, plan, status, signer=dsl)
            if status is IncidentStatus.CLOSED:
                incident.lessons = "Known risk recorded on the household; pair visits only there."
                incident.procedure_changes = None
            self.incidents.append(incident)

    def find_event(self, visit: Visit, kind: EventKind) -> dict[str, Any]:
        return next(e for e in self.timeline[visit] if e["kind"] is kind)

    def review(
        self, incident: Incident, plan: _Plan, status: IncidentStatus, signer: UserAccount
    ) -> None:
        """Debrief and sign-off as far as the incident's status says they went."""
        if status is IncidentStatus.OPEN:
            incident.review_due_on = self.today + timedelta(days=self.rng.randint(3, 7))
            return
        day = plan.end.astimezone(SCHOOL_ZONE).date() + timedelta(days=self.rng.randint(1, 3))
        while day.weekday() >= 5:
            day += timedelta(days=1)
        debrief = _at_local(day, 15, 45)
        if debrief >= self.now:
            incident.review_due_on = self.today + timedelta(days=self.rng.randint(2, 10))
            return
        team = ", ".join(self.staff[i].full_name for i in plan.team)
        supervisor = self.staff[plan.team[0]].supervisor
        incident.debrief_held_at = debrief
        incident.debrief_with = f"{team}; {supervisor.full_name}" if supervisor else team
        incident.support_offered = self.pick(names.SUPPORT_OFFERED)
        if status is IncidentStatus.CLOSED:
            signed = debrief + timedelta(days=self.rng.randint(1, 6))
            if signed < self.now:
                incident.signed_off_by_id = signer.id
                incident.signed_off_at = signed
        else:
            incident.review_due_on = self.today + timedelta(days=self.rng.randint(3, 14))
