"""`hvdesk import pupils FILE [--mapping NAME] [--dry-run] --user NAME`: the MIS import without
a window, for the termly re-import a script or an administrator runs.

The file is a CSV export or a Common Transfer File, told apart by what it holds. A CSV's
columns are mapped as the window last mapped them for this school ("usual"), or by the
mapping remembered under NAME, else guessed from the header names. It prints what would be
(or was) added, changed and left unchanged, pupil by pupil with their line, and every problem
with its line (and, in a CTF, its element). All or nothing: with any problem nothing is
imported and the command exits 1 with the reasons. --dry-run checks and prints, never writes.

Names are printed: the import changes personal data, so it signs in (hvdesk.cli_sign_in) and
is audited under that account, like the window's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from hvdesk.cli_sign_in import add_user_option
from hvdesk.clock import Clock

__all__ = ["register"]


def register(subparsers: Any, common_parent: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add `import pupils` to hvdesk's subcommands (`common_parent` carries --data-dir)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "import",
        help="import pupils and families from the MIS (CSV export or CTF)",
        description="Import from the school's MIS.",
    )
    what = parser.add_subparsers(dest="import_what", metavar="WHAT", required=True)
    pupils = what.add_parser(
        "pupils",
        parents=[common_parent],
        help="pupils, their homes and contacts from a CSV export or a Common Transfer File",
        description="Import pupils, households and contacts from FILE, a CSV exported by the "
        "MIS or a Common Transfer File (CTF). Pupils are matched by MIS ID / UPN; pupils not "
        "in the file are left as they are. All or nothing: if any row or element is wrong, "
        "nothing is imported and the reasons are printed with their line numbers.",
    )
    pupils.add_argument("file", type=Path, metavar="FILE", help="the CSV or CTF (.xml) file")
    pupils.add_argument(
        "--mapping",
        metavar="NAME",
        help="a CSV's column mapping remembered under NAME (default: the one last used for "
        "files with these columns, else guessed from the header names); the mapping used is "
        "remembered under NAME (or 'usual') after an import",
    )
    pupils.add_argument(
        "--dry-run", action="store_true", help="check and print what would happen; write nothing"
    )
    add_user_option(pupils)
    pupils.set_defaults(command_fn=_import_pupils, command_name="import pupils")
    return parser


def _import_pupils(args: argparse.Namespace, clock: Clock) -> int:
    from hvdesk.cli_common import EXIT_ERROR, EXIT_OK, open_current_database
    from hvdesk.cli_sign_in import sign_in
    from hvdesk.services.mis_import import DEFAULT_MAPPING, ImportRefused, MisImport

    path: Path = args.file.expanduser()
    database = open_current_database(args, clock)
    try:
        user = sign_in(args, database, clock)
        importer = MisImport(database, clock)
        file = importer.read(path)
        mapping = (
            importer.remembered_mapping(args.mapping, file)
            if args.mapping and file.ctf is None
            else file.suggested
        )
        where = f"{file.kind} {path.name}"
        if file.remembered and not args.mapping:
            where += f" (columns as last mapped: “{file.remembered}”)"
        checked = importer.check(file, mapping, user)
        if not checked.ok:
            _print_refused(where, checked.problems)
            return EXIT_ERROR
        if args.dry_run:
            _print_outcomes(checked.pupils)
            print(f"Dry run of {where}: would be {_counts(checked)}; nothing was written.")
            return EXIT_OK
        try:
            done = importer.run(file, mapping, user, remember_as=args.mapping or DEFAULT_MAPPING)
        except ImportRefused as refused:  # the data changed between check and run
            _print_refused(where, refused.problems)
            return EXIT_ERROR
        _print_outcomes(done.pupils)
        print(f"Imported {where}: {_counts(done)}.")
        return EXIT_OK
    finally:
        database.close()


def _counts(summary: Any) -> str:
    return (
        f"{summary.added} added, {summary.updated} changed, {summary.unchanged} unchanged, "
        f"{summary.households_added} new household(s)"
    )


def _print_outcomes(pupils: Any) -> None:
    for pupil in pupils:
        if pupil.outcome != "unchanged":
            print(f"{pupil.outcome:9s} line {pupil.line}: {pupil.name} ({pupil.mis_id})")


def _print_refused(where: str, problems: Any) -> None:
    print(
        f"hvdesk: {where}: {len(problems)} problem(s); nothing was imported. "
        "Correct them in the MIS (or the file) and import again:",
        file=sys.stderr,
    )
    for problem in problems:
        print(f"refused   {problem}", file=sys.stderr)
