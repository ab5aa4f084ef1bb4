"""Signing in on the command line (issue 12, item 3): `hvdesk pdf` of a record needs `--user`,
the password comes without echo or from HVDESK_PASSWORD, wrong passwords slow down and lock the
account as in the window, the document follows the account's need-to-know as it is now, and the
export is audited under that account."""

from __future__ import annotations

import getpass
import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from hvdesk.cli import main
from hvdesk.cli_sign_in import PASSWORD_ENV
from hvdesk.clock import FakeClock
from hvdesk.db.database import open_database
from hvdesk.db.keys import format_recovery_key
from hvdesk.db.models import AuditEntry, UserAccount
from hvdesk.demo.accounts import DEMO_PASSWORD
from hvdesk.domain.people import Role
from hvdesk.services.accounts import LOCK_AFTER
from hvdesk.services.documents import DocumentService, NotYours
from tests.conftest import MONDAY_MORNING
from tests.helpers import user_with_role
from tests.test_reports_school import ReportsSchool, build_reports_school


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReportsSchool]:
    built = build_reports_school(
        tmp_path_factory.mktemp("signin") / "data", FakeClock(MONDAY_MORNING)
    )
    built.database.close()
    yield built


@pytest.fixture(autouse=True)
def _key(school: ReportsSchool, monkeypatch: pytest.MonkeyPatch, memory_keyring: object) -> None:
    monkeypatch.setenv("HVDESK_RECOVERY_KEY", format_recovery_key(school.key))
    monkeypatch.delenv(PASSWORD_ENV, raising=False)


def _open(school: ReportsSchool):  # type: ignore[no-untyped-def]
    return open_database(school.folder, school.key, FakeClock(MONDAY_MORNING), upgrade=False)


def _username(school: ReportsSchool, role: Role, index: int = 0) -> str:
    database = _open(school)
    try:
        with database.session() as session:
            names = session.scalars(
                sa.select(UserAccount.username)
                .where(UserAccount.role == role, UserAccount.active.is_(True))
                .order_by(UserAccount.id)
            ).all()
    finally:
        database.close()
    return names[index]


def _pdf(school: ReportsSchool, *args: str) -> int:
    return main(["pdf", *args, "--data-dir", str(school.folder)], FakeClock(MONDAY_MORNING))


def _error(capsys: pytest.CaptureFixture[str]) -> str:
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def _last_entry(school: ReportsSchool) -> AuditEntry:
    database = _open(school)
    try:
        with database.session() as session:
            entry = session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
            assert entry is not None
            session.expunge(entry)
            return entry
    finally:
        database.close()


def test_a_record_needs_a_user(
    school: ReportsSchool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "incident.pdf"
    assert _pdf(school, "incident", str(school.urdu_incident), "--out", str(out)) == 1
    assert "needs you to sign in" in _error(capsys)
    assert not out.exists()


def test_the_export_is_audited_under_the_user(
    school: ReportsSchool,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dsl = _username(school, Role.DSL)
    monkeypatch.setenv(PASSWORD_ENV, DEMO_PASSWORD)
    out = tmp_path / "incident.pdf"
    assert (
        _pdf(school, "incident", str(school.urdu_incident), "--out", str(out), "--user", dsl) == 0
    )
    assert out.read_bytes().startswith(b"%PDF-")
    entry = _last_entry(school)
    assert (entry.action, entry.username, entry.record_type, entry.record_id) == (
        "export",
        dsl,
        "incidents",
        school.urdu_incident,
    )


def test_the_password_is_asked_without_echo_at_a_terminal(
    school: ReportsSchool,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dsl = _username(school, Role.DSL)
    asked: list[str] = []

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    def no_echo(prompt: str) -> str:
        asked.append(prompt)
        return DEMO_PASSWORD

    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(getpass, "getpass", no_echo)
    out = tmp_path / "form.pdf"
    assert _pdf(school, "visit-form", str(school.urdu_visit), "--out", str(out), "--user", dsl) == 0
    assert asked == [f"Password for {dsl}: "]
    assert out.exists()


def test_no_terminal_and_no_password_is_said_plainly(
    school: ReportsSchool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dsl = _username(school, Role.DSL)
    out = tmp_path / "form.pdf"
    code = _pdf(school, "visit-form", str(school.urdu_visit), "--out", str(out), "--user", dsl)
    assert code == 1
    assert f"set {PASSWORD_ENV}" in _error(capsys)
    assert not out.exists()


def test_need_to_know_reception_gets_no_incident_review(
    school: ReportsSchool,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reception = _username(school, Role.RECEPTION)
    monkeypatch.setenv(PASSWORD_ENV, DEMO_PASSWORD)
    out = tmp_path / "incident.pdf"
    args = ("incident", str(school.urdu_incident), "--out", str(out), "--user", reception)
    assert _pdf(school, *args) == 1
    assert "cannot print or save incident reports" in _error(capsys)
    assert not out.exists()
    form = tmp_path / "form.pdf"
    args = ("visit-form", str(school.urdu_visit), "--out", str(form), "--user", reception)
    assert _pdf(school, *args) == 0  # the visit's own form is theirs to print


def test_a_demoted_dsl_loses_the_review_at_once(school: ReportsSchool) -> None:
    """The identity says DSL; the account now says reception: the account wins."""
    database = _open(school)
    try:
        stale = user_with_role(database, Role.DEPUTY_DSL)
        with database.session() as session:
            session.get(UserAccount, stale.user_id).role = Role.RECEPTION  # type: ignore[union-attr]
        documents = DocumentService(database, FakeClock(MONDAY_MORNING))
        with pytest.raises(NotYours, match="Reception"):
            documents.render("incident", school.urdu_incident, by=stale)  # type: ignore[arg-type]
        with database.session() as session:
            account = session.get(UserAccount, stale.user_id)  # type: ignore[union-attr]
            assert account is not None
            account.role = Role.DEPUTY_DSL
            account.active = False
        with pytest.raises(NotYours, match="not an active"):
            documents.render("visit-form", school.urdu_visit, by=stale)  # type: ignore[arg-type]
        with database.session() as session:
            session.get(UserAccount, stale.user_id).active = True  # type: ignore[union-attr]
    finally:
        database.close()


def test_wrong_passwords_lock_the_account_as_in_the_window(
    school: ReportsSchool,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    victim = _username(school, Role.VISITING_STAFF)
    out = tmp_path / "form.pdf"
    args = ("visit-form", str(school.urdu_visit), "--out", str(out), "--user", victim)
    monkeypatch.setenv(PASSWORD_ENV, "not the password")
    clock = FakeClock(MONDAY_MORNING)
    messages = []
    for _ in range(LOCK_AFTER + 1):
        clock.advance(120)  # past each slow-down, so every try is checked
        code = main(["pdf", *args, "--data-dir", str(school.folder)], clock)
        assert code == 1
        messages.append(_error(capsys))
    assert "not right" in messages[0]
    assert "locked for 15 minutes" in messages[-1]
    monkeypatch.setenv(PASSWORD_ENV, DEMO_PASSWORD)  # the right one, while locked: refused
    assert main(["pdf", *args, "--data-dir", str(school.folder)], clock) == 1
    assert "locked" in _error(capsys)
    assert not out.exists()
