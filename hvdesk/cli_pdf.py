"""`hvdesk pdf KIND ID --out FILE`: any printable document, written without a window; and
`hvdesk pdf annual-review --year YYYY --out FILE`: the governors' pack for the school year that
starts in September YYYY (the policies are reviewed each September, so a school year, not a
calendar year: --year 2025 is 1 September 2025 to 31 August 2026).

Follows the command line's contract (hvdesk.cli): --data-dir everywhere; exit 0 on success, 2 on
a usage error (an unknown kind, an id that is not a number, "blank" for a document that has no
blank version), 1 on any other error with one line on stderr. A document of a record holds
personal data, so it needs `--user NAME` (hvdesk.cli_sign_in): it is made for that account as it
is now (an incident's review only for those who review incidents) and the export is audited
under it. The file is written by hvdesk.safe_files: whole or not at all, never over anything but
a regular file, and over an existing one only with --force.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from hvdesk.cli_sign_in import add_user_option
from hvdesk.clock import Clock
from hvdesk.safe_files import OutputNotWritten, check_output, write_atomically

__all__ = ["ANNUAL_REVIEW", "KINDS", "MAX_RECORD_ID", "OutputNotWritten", "register"]

# The kinds as the command line spells them (kept here so building the parser needs no
# database or reportlab import; a test checks they match DocumentKind).
KINDS: tuple[str, ...] = (
    "visit-form",
    "visit-record",
    "risk-assessment",
    "authorisation",
    "police-sheet",
    "incident",
)
BLANK = "blank"
ANNUAL_REVIEW = "annual-review"
"""The one kind made from a school year rather than a record (no ID; --year instead)."""

MAX_RECORD_ID = 2**63 - 1
"""The largest number a record can have (SQLite's integers are 64-bit)."""


def register(subparsers: Any, common_parent: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the `pdf` command to hvdesk's subcommands (`common_parent` carries --data-dir)."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "pdf",
        parents=[common_parent],
        help="write a printable document as a PDF (forms, risk assessment, police sheet...)",
        description="Write one of hvdesk's documents as a PDF file. ID is the visit number "
        "(the incident number for 'incident'); 'visit-form blank' prints a blank Home Visit "
        "Form and Record to take out when the system is down. 'annual-review --year YYYY' "
        "writes the governors' annual review of the school year starting in September YYYY.",
    )
    kinds = (*KINDS, ANNUAL_REVIEW)
    parser.add_argument("kind", choices=kinds, metavar="KIND", help="one of: " + ", ".join(kinds))
    parser.add_argument(
        "record_id",
        type=_record_id,
        metavar="ID",
        nargs="?",
        help="visit or incident number, or 'blank' (not for annual-review)",
    )
    parser.add_argument(
        "--year",
        type=_school_year,
        metavar="YYYY",
        help="annual-review only: the year the school year starts in (2025 = Sept 2025 to "
        "Aug 2026)",
    )
    parser.add_argument(
        "--out", type=Path, required=True, metavar="FILE", help="where to write the PDF"
    )
    parser.add_argument(
        "--force", action="store_true", help="replace FILE if it exists (a regular file only)"
    )
    add_user_option(parser)
    parser.set_defaults(command_fn=_pdf, command_name="pdf", pdf_parser=parser)
    return parser


def _record_id(text: str) -> int | str:
    value = text.strip()
    if value.casefold() == BLANK:
        return BLANK
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a record number: {text!r} (a whole number, or 'blank')"
        ) from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"not a record number: {text!r}")
    return number


def _school_year(text: str) -> int:
    value = text.strip()
    if not (len(value) == 4 and value.isdigit()):
        raise argparse.ArgumentTypeError(
            f"not a year: {text!r} (four digits, the year the school year starts in)"
        )
    return int(value)


def _pdf(args: argparse.Namespace, clock: Clock) -> int:
    """Render the document, then write it (nothing is written if rendering fails)."""
    from hvdesk.cli_common import EXIT_OK, open_current_database
    from hvdesk.cli_sign_in import sign_in
    from hvdesk.services.documents import DocumentKind, DocumentService, NoSuchRecord

    if args.kind == ANNUAL_REVIEW:
        return _annual_review(args, clock)
    if args.year is not None:
        args.pdf_parser.error("--year is for annual-review only")
    if args.record_id is None:
        args.pdf_parser.error(f"'{args.kind}' needs a visit or incident number (ID)")
    kind = DocumentKind(args.kind)
    record_id: int | None = None if args.record_id == BLANK else int(args.record_id)
    if record_id is None and not kind.has_blank:
        args.pdf_parser.error(
            f"'{kind.value}' has no blank version: give a visit or incident number"
        )
    if record_id is not None and record_id > MAX_RECORD_ID:
        shown = str(record_id) if len(str(record_id)) <= 30 else f"{str(record_id)[:30]}..."
        raise NoSuchRecord(
            f"There is no {kind.record} {shown}: no record has a number that large.",
            f"Check the {kind.record} number.",
        )
    out: Path = args.out.expanduser()
    check_output(out, replace=args.force)
    database = open_current_database(args, clock)
    try:
        user = sign_in(args, database, clock) if record_id is not None else None
        pdf = DocumentService(database, clock).render(kind, record_id, by=user, exported=True)
    finally:
        database.close()
    write_atomically(out, pdf, replace=args.force)
    print(f"Wrote {kind.label} ({len(pdf) // 1024 + 1} KB) to {out}")
    return EXIT_OK


def _annual_review(args: argparse.Namespace, clock: Clock) -> int:
    """The governors' pack for one school year: counts and rates only, no one named, so no
    sign-in is needed."""
    from hvdesk.cli_common import EXIT_OK, open_current_database
    from hvdesk.domain.statistics import school_year_label
    from hvdesk.services.statistics import Statistics

    if args.record_id is not None:
        args.pdf_parser.error("annual-review takes no ID: give the school year with --year YYYY")
    if args.year is None:
        args.pdf_parser.error("annual-review needs --year YYYY (2025 for September 2025 on)")
    out: Path = args.out.expanduser()
    check_output(out, replace=args.force)
    database = open_current_database(args, clock)
    try:
        pdf = Statistics(database, clock).annual_review_pdf(args.year)
    finally:
        database.close()
    write_atomically(out, pdf, replace=args.force)
    print(
        f"Wrote the annual review {school_year_label(args.year)} "
        f"({len(pdf) // 1024 + 1} KB) to {out}"
    )
    return EXIT_OK
