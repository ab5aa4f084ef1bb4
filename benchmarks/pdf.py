"""Seconds per document for every printable document, over 100 of each, each kind's PDF-alone
time beside its floor measured just before it (by turns): a bare two-page reportlab form with
the same TTF fonts and a table (`benchmarks.risk_pdf.bare_form`), as issue 14 names it.

Builds the demo school in a temporary folder, then for each kind renders 100 documents cycling
through the demo's records, twice: end to end (`DocumentService.render`: the database read and
the PDF) and the PDF alone (the read-model read once, rendered 100 times). The first document
of the run is timed on its own: it pays for registering the fonts (once per process).

    python -m benchmarks.pdf [--count 100]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import sqlalchemy as sa

from benchmarks.risk_pdf import bare_form
from hvdesk.clock import FakeClock
from hvdesk.db.database import create_database
from hvdesk.db.keys import new_database_key
from hvdesk.db.models import Incident, Visit
from hvdesk.demo.school import seed_demo
from hvdesk.services.documents import DocumentKind, DocumentService

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)  # a Monday morning in term time


def _timed(make: Callable[[], bytes], count: int) -> tuple[float, float, int]:
    """Median and mean seconds per document over `count`, and the last document's size."""
    times: list[float] = []
    size = 0
    for _ in range(count):
        start = time.perf_counter()
        size = len(make())
        times.append(time.perf_counter() - start)
    return statistics.median(times), statistics.fmean(times), size


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--count", type=int, default=100, help="documents of each kind")
    count = options.parse_args().count

    clock = FakeClock(NOW)
    with tempfile.TemporaryDirectory(prefix="hvdesk-pdf-bench-") as folder:
        database = create_database(Path(folder) / "data", new_database_key())
        try:
            with database.session() as session:
                summary = seed_demo(session, clock)
                past = session.scalars(
                    sa.select(Visit.id).where(Visit.status == "completed").order_by(Visit.id)
                ).all()
                incidents = session.scalars(sa.select(Incident.id).order_by(Incident.id)).all()
            live = sorted({i for ids in summary.states.values() for i in ids})
            service = DocumentService(database, clock)
            records: dict[DocumentKind, list[int | None]] = {
                DocumentKind.VISIT_FORM: [None, *live, *past[:40]],
                DocumentKind.VISIT_RECORD: [*past[-60:], *live],
                DocumentKind.RISK_ASSESSMENT: [*live, *past[:40]],
                DocumentKind.AUTHORISATION: [*live, *past[:40]],
                DocumentKind.POLICE_SHEET: [*live],
                DocumentKind.INCIDENT: [*incidents],
            }

            start = time.perf_counter()
            service.render(DocumentKind.VISIT_FORM, live[0])
            cold = time.perf_counter() - start

            rows: list[tuple[str, float, float, float, int]] = []
            floors: list[float] = []
            for kind, ids in records.items():
                floors.append(_timed(bare_form, count)[0])
                next_one = partial(_next_document, service, kind, itertools.cycle(ids))
                median, mean, size = _timed(next_one, count)
                render_only = _render_only(service, kind, ids[0], count)
                rows.append((kind.value, median, mean, render_only, size))
        finally:
            database.close()

    print(f"{count} documents of each kind; seconds per document (median; mean in brackets).")
    print(f"First document of the run (registers the fonts): {cold:.3f} s\n")
    header = ("document", "end to end", "(mean)", "PDF only", "floor", "ratio", "size")
    print(
        f"{header[0]:<20} {header[1]:>11} {header[2]:>9} {header[3]:>9} {header[4]:>9} "
        f"{header[5]:>6} {header[6]:>8}"
    )
    for (name, median, mean, render_only, size), floor in zip(rows, floors, strict=True):
        print(
            f"{name:<20} {median:>11.4f} {f'({mean:.4f})':>9} {render_only:>9.4f} "
            f"{floor:>9.4f} {render_only / floor:>5.2f}x {size / 1024:>6.0f} KB"
        )
    print("floor: a bare 2-page reportlab form with the same TTF fonts and a table (PDF alone).")


def _next_document(
    service: DocumentService, kind: DocumentKind, records: Iterator[int | None]
) -> bytes:
    """End to end: read the next record and render it."""
    return service.render(kind, next(records))


def _render_only(
    service: DocumentService, kind: DocumentKind, record_id: int | None, count: int
) -> float:
    """Median seconds to lay out and write the PDF from a read-model already read."""
    from hvdesk.reports.authorisation import authorisation_certificate
    from hvdesk.reports.incident import incident_report
    from hvdesk.reports.police_sheet import police_sheet
    from hvdesk.reports.risk_assessment import risk_assessment
    from hvdesk.reports.visit_forms import home_visit_form, record_of_home_visit

    make: Callable[[], bytes]
    if record_id is None:
        context = service.blank_context()
        make = partial(home_visit_form, context, None)
    elif kind is DocumentKind.VISIT_FORM:
        form = service.visit_form(record_id)
        make = partial(home_visit_form, *form)
    elif kind is DocumentKind.VISIT_RECORD:
        form = service.visit_form(record_id)
        make = partial(record_of_home_visit, *form)
    elif kind is DocumentKind.RISK_ASSESSMENT:
        assessment = service.risk_assessment(record_id)
        make = partial(risk_assessment, *assessment)
    elif kind is DocumentKind.AUTHORISATION:
        certificate = service.authorisation(record_id)
        make = partial(authorisation_certificate, *certificate)
    elif kind is DocumentKind.POLICE_SHEET:
        sheet = service.police_sheet(record_id)
        make = partial(police_sheet, *sheet)
    else:
        incident = service.incident(record_id)
        make = partial(incident_report, *incident)
    return _timed(make, count)[0]


if __name__ == "__main__":
    main()
