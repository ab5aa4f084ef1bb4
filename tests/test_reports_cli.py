"""`hvdesk pdf KIND ID --out FILE`: exit 0 and a whole file; 2 on usage errors; 1 with one line
on stderr for a missing record or an --out that cannot be written, and no file left behind."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from hvdesk.cli import main
from hvdesk.cli_pdf import KINDS
from hvdesk.cli_sign_in import PASSWORD_ENV
from hvdesk.clock import FakeClock
from hvdesk.db.keys import format_recovery_key
from hvdesk.db.models import UserAccount
from hvdesk.demo.accounts import DEMO_PASSWORD
from hvdesk.domain.people import Role
from hvdesk.safe_files import OutputNotWritten, write_atomically
from hvdesk.services.documents import DocumentKind
from tests.conftest import MONDAY_MORNING
from tests.test_reports_school import ReportsSchool, build_reports_school, text_of


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReportsSchool]:
    built = build_reports_school(tmp_path_factory.mktemp("cli") / "data", FakeClock(MONDAY_MORNING))
    with built.database.session() as session:
        DSL[0] = session.scalars(
            sa.select(UserAccount.username).where(UserAccount.role == Role.DSL)
        ).first()
    built.database.close()  # the command opens it itself
    yield built


DSL: list[str | None] = [None]
"""The username of the school's DSL, who signs in to print."""


@pytest.fixture
def key_in_env(
    school: ReportsSchool, monkeypatch: pytest.MonkeyPatch, memory_keyring: object
) -> None:
    monkeypatch.setenv("HVDESK_RECOVERY_KEY", format_recovery_key(school.key))
    monkeypatch.setenv(PASSWORD_ENV, DEMO_PASSWORD)


def _run(school: ReportsSchool, *args: str) -> int:
    assert DSL[0] is not None
    return main(
        ["pdf", *args, "--data-dir", str(school.folder), "--user", DSL[0]],
        FakeClock(MONDAY_MORNING),
    )


def _one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("hvdesk: ")
    return lines[0]


def test_the_kinds_are_the_documents_kinds() -> None:
    assert tuple(kind.value for kind in DocumentKind) == KINDS


@pytest.mark.usefixtures("key_in_env")
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_written_whole(
    school: ReportsSchool, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    record = school.urdu_incident if kind == "incident" else school.urdu_visit
    out = tmp_path / f"{kind}.pdf"
    assert _run(school, kind, str(record), "--out", str(out)) == 0
    assert "Wrote " in capsys.readouterr().out
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(PdfReader(out).pages) >= 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]


@pytest.mark.usefixtures("key_in_env")
def test_blank_form_and_replacing_a_file(school: ReportsSchool, tmp_path: Path) -> None:
    out = tmp_path / "blank.pdf"
    out.write_bytes(b"an older copy")
    assert _run(school, "visit-form", "blank", "--out", str(out)) == 1
    assert out.read_bytes() == b"an older copy"  # not replaced without --force
    assert _run(school, "visit-form", "blank", "--out", str(out), "--force") == 0
    assert "Record of Home Visit" in text_of(out.read_bytes())
    assert [p.name for p in tmp_path.iterdir()] == ["blank.pdf"]


@pytest.mark.parametrize(
    "args",
    [
        ["payslip", "1", "--out", "x.pdf"],
        ["visit-form", "twelve", "--out", "x.pdf"],
        ["visit-form", "0", "--out", "x.pdf"],
        ["risk-assessment", "blank", "--out", "x.pdf"],
        ["visit-form", "12"],
    ],
    ids=["unknown-kind", "not-a-number", "zero", "no-blank-version", "no-out"],
)
def test_usage_errors_exit_2(
    school: ReportsSchool,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as caught:
        _run(school, *args)
    assert caught.value.code == 2
    assert "usage:" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("key_in_env")
@pytest.mark.parametrize(
    ("kind", "record", "message"),
    [
        ("visit-form", "9999", "hvdesk: There is no visit 9999."),
        ("incident", "9999", "hvdesk: There is no incident 9999."),
    ],
)
def test_a_missing_record_exits_1_and_writes_nothing(
    school: ReportsSchool,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    record: str,
    message: str,
) -> None:
    assert _run(school, kind, record, "--out", str(tmp_path / "x.pdf")) == 1
    assert _one_line_error(capsys).startswith(message)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("key_in_env")
def test_no_risk_assessment_yet_exits_1(
    school: ReportsSchool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.pdf"
    assert _run(school, "risk-assessment", str(school.drill_visit), "--out", str(out)) == 1
    assert _one_line_error(capsys).startswith(
        f"hvdesk: Visit {school.drill_visit} has no risk assessment yet."
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("key_in_env")
def test_an_out_that_cannot_be_written_exits_1(
    school: ReportsSchool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-folder" / "x.pdf"
    assert _run(school, "visit-form", "blank", "--out", str(missing)) == 1
    assert "does not exist" in _one_line_error(capsys)
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    assert _run(school, "visit-form", "blank", "--out", str(a_file / "x.pdf")) == 1
    _one_line_error(capsys)
    assert _run(school, "visit-form", "blank", "--out", str(tmp_path)) == 1
    assert "is a folder" in _one_line_error(capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_a_failed_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The temporary file holds personal data: it goes whatever fails."""
    target = tmp_path / "form.pdf"
    target.write_bytes(b"the previous copy")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OutputNotWritten, match="No space left on device"):
        write_atomically(target, b"%PDF-1.4 new")
    assert [p.name for p in tmp_path.iterdir()] == ["form.pdf"]
    assert target.read_bytes() == b"the previous copy"

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, b"%PDF-1.4 new")
    assert [p.name for p in tmp_path.iterdir()] == ["form.pdf"]
