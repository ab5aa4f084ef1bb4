"""A small school for the board's tests, visits made through the real visit log, and the two
stand-ins the board accepts by design: a sound sink that counts plays and a notifier that
records tray messages (the real ones need an audio device and a system tray)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from hvdesk.clock import FakeClock
from hvdesk.db.database import Database
from hvdesk.db.models import (
    Household,
    KnownRisk,
    Pupil,
    Staff,
    UserAccount,
    Visit,
    VisitEvent,
    VisitStaff,
)
from hvdesk.domain.households import RiskKind
from hvdesk.domain.people import JobRole, Role
from hvdesk.domain.visits import EntryMode, EventKind, VisitorRole, VisitReason, VisitStatus
from hvdesk.services.board_services import BoardServices
from hvdesk.services.identity import SignedInUser
from hvdesk.services.opening import DatabaseOpener
from hvdesk.services.visit_log import VisitLog
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.pages.board_page import BoardPage
from hvdesk.ui.timers import Timers
from tests.school_copies import Seeded, open_copy, seed


class CountingSound:
    """The board's sound sink in tests: counts how often the alert sounded."""

    def __init__(self) -> None:
        self.plays = 0

    def play(self) -> None:
        self.plays += 1


@dataclass
class RecordingNotifier:
    """The board's tray channel in tests: records what it would have shown."""

    messages: list[tuple[str, str]] = field(default_factory=list)

    def notify(self, title: str, message: str) -> bool:
        self.messages.append((title, message))
        return True


@dataclass
class BoardSchool:
    database: Database
    clock: FakeClock
    user: SignedInUser
    colleague: SignedInUser
    homes: list[int]
    pupils: list[int]
    staff: dict[str, int]

    def visit_log(self) -> VisitLog:
        return VisitLog(self.database, self.clock)


def build_board_school(database: Database, clock: FakeClock) -> BoardSchool:
    """Two homes (one with a dog), two pupils, four staff with what the police sheet needs,
    two office accounts; no visits."""
    now = clock.now()
    with database.session() as session:
        supervisor = Staff(
            first_name="Sam",
            last_name="Patel",
            job_role=JobRole.DSL,
            work_mobile="07700 900100",
        )
        session.add(supervisor)
        session.flush()
        people = {
            "Dawn": Staff(
                first_name="Dawn",
                last_name="Reid",
                job_role=JobRole.ATTENDANCE_OFFICER,
                work_mobile="07700 900001",
                emergency_contact_name="Colin Reid",
                emergency_contact_relationship="Husband",
                emergency_contact_phone="07700 900901",
                vehicle_make="Ford",
                vehicle_model="Focus",
                vehicle_colour="Blue",
                vehicle_registration="AB12 CDE",
                description="Short grey hair, glasses, green raincoat",
                supervisor_id=supervisor.id,
            ),
            "Eve": Staff(
                first_name="Eve",
                last_name="Okafor",
                job_role=JobRole.FAMILY_SUPPORT_WORKER,
                work_mobile="07700 900002",
                emergency_contact_name="Ada Okafor",
                emergency_contact_relationship="Mother",
                emergency_contact_phone="07700 900902",
                supervisor_id=supervisor.id,
            ),
            "Fay": Staff(
                first_name="Fay",
                last_name="Lamb",
                job_role=JobRole.TEACHER,
                work_mobile="07700 900003",
                supervisor_id=supervisor.id,
            ),
        }
        session.add_all(people.values())
        homes = [
            Household(
                address_line1="1 Mill Lane",
                town="Leeds",
                postcode="LS1 1AA",
                area="Holbeck",
                location_notes="Blue door at the back of the terrace, via the alley",
                created_at=now - timedelta(days=400),
            ),
            Household(
                address_line1="22 Park Road",
                town="Leeds",
                postcode="LS2 2BB",
                area="Headingley",
                created_at=now - timedelta(days=400),
            ),
        ]
        session.add_all(homes)
        session.flush()
        session.add(
            KnownRisk(
                household_id=homes[0].id,
                kind=RiskKind.DOG,
                description="Large dog, usually shut in the kitchen",
                recorded_at=now - timedelta(days=30),
            )
        )
        pupils = [
            Pupil(
                first_name="Amy",
                last_name="Smith",
                mis_id="MIS001",
                date_of_birth=date(2016, 3, 4),
                year_group=5,
                household_id=homes[0].id,
            ),
            Pupil(
                first_name="Łukasz",
                last_name="Nowak",
                mis_id="MIS002",
                date_of_birth=date(2017, 7, 1),
                year_group=4,
                household_id=homes[1].id,
            ),
        ]
        session.add_all(pupils)
        accounts = [
            UserAccount(
                username=username,
                display_name=name,
                role=Role.RECEPTION,
                password_hash="not-a-real-hash",
                active=True,
                created_at=now - timedelta(days=100),
                failed_sign_ins=0,
            )
            for username, name in (("ann", "Ann Lee"), ("bob", "Bob Hart"))
        ]
        session.add_all(accounts)
        session.flush()
        users = [SignedInUser(a.id, a.username, a.display_name, a.role) for a in accounts]
        return BoardSchool(
            database=database,
            clock=clock,
            user=users[0],
            colleague=users[1],
            homes=[h.id for h in homes],
            pupils=[p.id for p in pupils],
            staff={name: s.id for name, s in people.items()} | {"Sam": supervisor.id},
        )


def authorised_visit(
    school: BoardSchool,
    staff: list[str],
    *,
    start_in: timedelta = timedelta(0),
    length: timedelta = timedelta(minutes=60),
    home: int = 0,
) -> int:
    """An authorised visit of the named staff (not signed out), starting `start_in` from now."""
    now = school.clock.now()
    with school.database.session() as session:
        visit = Visit(
            household_id=school.homes[home],
            pupil_id=school.pupils[home],
            reason=VisitReason.WELFARE_CHECK,
            purpose=f"Welfare check on pupil {home + 1} after absence",
            entry_mode=EntryMode.DOORSTEP,
            planned_start=now + start_in,
            planned_end=now + start_in + length,
            status=VisitStatus.AUTHORISED,
            created_at=now - timedelta(days=1),
        )
        visit.visitors = [
            VisitStaff(
                staff_id=school.staff[name],
                role=VisitorRole.LEAD if i == 0 else VisitorRole.SECOND,
                position=i,
            )
            for i, name in enumerate(staff)
        ]
        session.add(visit)
        session.flush()
        return visit.id


def visit_on_site(
    school: BoardSchool,
    staff: list[str],
    *,
    length: timedelta = timedelta(minutes=30),
    home: int = 0,
) -> int:
    """A visit signed out and arrived now: its check-in is due at the end, `length` away."""
    visit_id = authorised_visit(school, staff, length=length, home=home)
    log = school.visit_log()
    log.sign_out(visit_id, school.user)
    log.arrived(visit_id, school.user)
    return visit_id


def events(database: Database, visit_id: int) -> list[VisitEvent]:
    with database.session() as session:
        return list(
            session.scalars(
                sa.select(VisitEvent)
                .where(VisitEvent.visit_id == visit_id)
                .order_by(VisitEvent.occurred_at, VisitEvent.id)
            )
        )


def last_event(database: Database, visit_id: int) -> VisitEvent:
    return events(database, visit_id)[-1]


@dataclass
class Board:
    """A board page on the test school, with its stand-ins and its timers."""

    page: BoardPage
    school: BoardSchool
    current_user: CurrentUser
    sound: CountingSound
    notifier: RecordingNotifier
    timers: Timers
    clock: FakeClock
    qtbot: Any

    def tick(self, seconds: float = 1) -> None:
        self.clock.advance(seconds)
        self.timers.fire("board-countdown")

    def poll(self) -> None:
        """The five-second read (off the UI thread): fired, and waited for."""
        self.timers.fire("board-refresh")
        self.qtbot.waitUntil(lambda: not self.page.poll_running, timeout=10_000)

    def sign_in(self) -> None:
        self.current_user.sign_in(self.school.user)

    def row_texts(self, column: int) -> list[str]:
        model = self.page.model
        return [str(model.data(model.index(r, column))) for r in range(model.rowCount())]


_TEMPLATES: dict[datetime, Seeded[BoardSchool]] = {}


def _board_template(now: datetime) -> Seeded[BoardSchool]:
    """The board school built once per test process (for a clock starting at `now`): building
    it (migrations, accounts) costs over a second, copying its encrypted files milliseconds.
    (Kept here rather than in a session fixture so the board modules' fixtures stay as they are.)"""
    if now not in _TEMPLATES:
        root = Path(tempfile.mkdtemp(prefix="hvdesk-board-template-"))
        atexit.register(shutil.rmtree, root, True)
        _TEMPLATES[now] = seed(root / "data", now, build_board_school)
    return _TEMPLATES[now]


def new_board_school(
    opener: DatabaseOpener, data_dir: Path, clock: FakeClock
) -> Iterator[BoardSchool]:
    """The body of each board test module's `board_school` fixture: a fresh copy of the board
    school for each test, opened with its key on the test's clock (`opener` is not needed
    since the school is copied, not created)."""
    del opener
    template = _board_template(clock.now())
    database = open_copy(template, data_dir, clock)
    yield replace(template.built, database=database, clock=clock)
    database.close()


def open_board(qtbot, school: BoardSchool, timers: Timers, *, signed_in: bool = True) -> Board:
    current_user = CurrentUser()
    sound = CountingSound()
    notifier = RecordingNotifier()
    page = BoardPage(
        BoardServices.build(school.database, school.clock),
        school.clock,
        timers,
        current_user,
        sound=sound,
        notifier=notifier,
    )
    qtbot.addWidget(page)
    page.resize(1200, 860)
    page.show()
    board = Board(page, school, current_user, sound, notifier, timers, school.clock, qtbot)
    if signed_in:
        board.sign_in()  # reads the board
    else:
        page.refresh()
    return board


def crowd(school: BoardSchool, count: int, *, within: timedelta) -> list[int]:
    """`count` visits out now, each with its own member of staff, signed out and arrived, their
    check-ins spread evenly over `within` (bulk-inserted: the soak and benchmarks need
    hundreds)."""
    now = school.clock.now()
    with school.database.session() as session:
        staff = [
            Staff(
                first_name=f"Worker{i:03d}",
                last_name="Crowd",
                job_role=JobRole.TEACHER,
                work_mobile=f"07700 9{i:05d}",
                supervisor_id=school.staff["Sam"],
            )
            for i in range(count)
        ]
        session.add_all(staff)
        session.flush()
        visits = []
        for i, person in enumerate(staff):
            end = now + within * (i + 1) / count
            visit = Visit(
                household_id=school.homes[i % len(school.homes)],
                pupil_id=school.pupils[i % len(school.pupils)],
                reason=VisitReason.WELFARE_CHECK,
                purpose=f"Crowd visit {i}",
                entry_mode=EntryMode.DOORSTEP,
                planned_start=now,
                planned_end=end,
                status=VisitStatus.OUT,
                created_at=now,
            )
            visit.visitors = [VisitStaff(staff_id=person.id, role=VisitorRole.LEAD, position=0)]
            visits.append(visit)
        session.add_all(visits)
        session.flush()
        for visit in visits:
            for kind in (EventKind.SIGNED_OUT, EventKind.ARRIVED):
                session.add(
                    VisitEvent(
                        visit_id=visit.id,
                        kind=kind,
                        occurred_at=now,
                        recorded_at=now,
                        recorded_by_id=school.user.user_id,
                    )
                )
        return [v.id for v in visits]
