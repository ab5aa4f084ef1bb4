# ruff: noqa: F811  (the demo-school fixtures are imported by name)
"""`hvdesk import pupils FILE` (issue 17 item 6): CSV or CTF told apart by content, signed in,
prints what is added, changed and refused with line or element numbers, all or nothing, exit 1
with the reasons; --dry-run writes nothing; --mapping NAME uses a remembered mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from hvdesk.cli import main
from hvdesk.cli_sign_in import PASSWORD_ENV
from hvdesk.db.keys import format_recovery_key
from hvdesk.demo.accounts import DEMO_PASSWORD
from tests.board_school import School, demo_template, school  # noqa: F401
from tests.mis_files import FakeContact, FakePupil, csv_text, ctf
from tests.test_mis_import import GOOD, counts


@pytest.fixture
def cli(school: School, monkeypatch: pytest.MonkeyPatch, memory_keyring: object):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HVDESK_RECOVERY_KEY", format_recovery_key(school.key))
    monkeypatch.setenv(PASSWORD_ENV, DEMO_PASSWORD)

    def run(*args: str) -> int:
        return main(["import", "pupils", *args, "--data-dir", str(school.data_dir)], school.clock)

    return run


def test_a_csv_is_checked_then_imported_whole(cli, school, tmp_path, capsys):
    before = counts(school)
    assert cli(str(GOOD), "--user", "p.stanton", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "added     line 2: Chidi Okafor (K801200000001)" in out
    assert "Dry run of CSV mis_good.csv: would be 5 added, 0 changed" in out
    assert counts(school) == before

    assert cli(str(GOOD), "--user", "p.stanton") == 0
    assert "Imported CSV mis_good.csv: 5 added, 0 changed, 0 unchanged" in capsys.readouterr().out
    assert counts(school)[0] == before[0] + 5

    changed = tmp_path / "spring.csv"
    changed.write_text(GOOD.read_text("utf-8").replace("Year 8", "Year 9"), "utf-8")
    assert cli(str(changed), "--user", "p.stanton") == 0
    out = capsys.readouterr().out
    assert "changed   line 2: Chidi Okafor (K801200000001)" in out
    assert "columns as last mapped: “usual”" in out
    assert "0 added, 1 changed, 4 unchanged" in out


def test_a_bad_file_is_refused_with_every_line_and_nothing_imported(cli, school, capsys):
    before = counts(school)
    bad = Path(__file__).parent / "data" / "mis_bad.csv"
    assert cli(str(bad), "--user", "p.stanton") == 1
    err = capsys.readouterr().err
    assert "nothing was imported" in err
    assert "refused   Line 3: Date of birth '31/02/2015' is not a date" in err
    assert "refused   Line 9: Year group 'Year 21'" in err
    assert counts(school) == before


def test_a_ctf_is_told_apart_by_its_content_and_names_its_elements(cli, school, tmp_path, capsys):
    good = tmp_path / "export.txt"  # the name does not matter: the content does
    good.write_bytes(
        ctf([FakePupil("A999999999101", "Aisha", "Khan", contacts=(FakeContact("Farah", "Khan"),))])
    )
    assert cli(str(good), "--user", "p.stanton") == 0
    assert "Imported CTF export.txt: 1 added" in capsys.readouterr().out

    bad = tmp_path / "bad.xml"
    bad.write_bytes(ctf([FakePupil("A999999999102", "", "Khan", dob="2030-01-01")]))
    before = counts(school)
    assert cli(str(bad), "--user", "p.stanton") == 1
    err = capsys.readouterr().err
    assert "pupil 1 (UPN A999999999102): First name is empty." in err
    assert "pupil 1 (UPN A999999999102): Date of birth 2030-01-01 is in the future." in err
    assert counts(school) == before


def test_it_signs_in_and_checks_the_role(cli, school, capsys, monkeypatch):
    before = counts(school)
    assert cli(str(GOOD)) == 1
    assert "needs you to sign in" in capsys.readouterr().err
    assert cli(str(GOOD), "--user", "k.lewis") == 1  # reception may not import
    assert "may not import" in capsys.readouterr().err
    monkeypatch.setenv(PASSWORD_ENV, "wrong password")
    assert cli(str(GOOD), "--user", "p.stanton") == 1
    assert counts(school) == before


def test_a_remembered_mapping_is_used_by_name(cli, school, tmp_path, capsys):
    headers = ["Pupil Ref", "Family", "Given", "Born", "Road", "Place", "Code"]
    raw = csv_text(
        headers,
        [["T600000000001", "Evans", "Cerys", "02/02/2015", "5 Cedar Way", "Leeds", "LS4 4EF"]],
    )
    odd = tmp_path / "odd.csv"
    odd.write_bytes(raw)
    assert cli(str(odd), "--user", "p.stanton", "--mapping", "Autumn") == 1
    assert "No column mapping is remembered as “Autumn”" in capsys.readouterr().err
    assert cli(str(odd), "--user", "p.stanton") == 1
    assert "Choose the column that holds MIS ID / UPN" in capsys.readouterr().err
    assert cli(str(tmp_path / "missing.csv"), "--user", "p.stanton") == 1
    assert "cannot be read" in capsys.readouterr().err
