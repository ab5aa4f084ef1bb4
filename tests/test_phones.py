"""Phone numbers read by libphonenumber: UK by default, abroad accepted with its prefix, the kind
of number known, and written the way the office reads them (issue 17 item 3)."""

from __future__ import annotations

from datetime import date

import pytest

from hvdesk.domain.people import JobRole
from hvdesk.domain.people_records import StaffDraft, check_staff
from hvdesk.domain.phones import PhoneKind, is_mobile, parse_phone, tidy_phone


@pytest.mark.parametrize(
    ("typed", "kind", "written"),
    [
        ("07700 900123", PhoneKind.MOBILE, "07700 900123"),  # Ofcom's drama range
        ("+44 (0)7700 900123", PhoneKind.MOBILE, "07700 900123"),
        ("0113 496 0123", PhoneKind.LANDLINE, "0113 496 0123"),
        ("01632 960123", PhoneKind.LANDLINE, "01632 960123"),
        ("02079460123", PhoneKind.LANDLINE, "020 7946 0123"),
        ("0300 123 4567", PhoneKind.NON_GEOGRAPHIC, "0300 123 4567"),
        ("0800 123 4567", PhoneKind.FREEPHONE, "0800 123 4567"),
        ("0808 157 0000", PhoneKind.FREEPHONE, "0808 157 0000"),
        ("070 1234 5678", PhoneKind.PERSONAL, "070 1234 5678"),
        ("+48 601 234 567", PhoneKind.MOBILE, "+48 601 234 567"),
        ("0048601234567", PhoneKind.MOBILE, "+48 601 234 567"),
        ("+353 85 123 4567", PhoneKind.MOBILE, "+353 85 123 4567"),
        ("+353 1 234 5678", PhoneKind.LANDLINE, "+353 1 234 5678"),
        ("07624 123456", PhoneKind.MOBILE, "07624 123456"),  # Isle of Man: dialled as UK
    ],
)
def test_numbers_are_read_with_their_kind_and_written_the_office_way(typed, kind, written):
    phone = parse_phone(typed)
    assert phone is not None
    assert (phone.kind, phone.written) == (kind, written)
    assert tidy_phone(typed) == written


@pytest.mark.parametrize(
    "typed", ["", "   ", "phone me", "07700 90012", "077009001234", "+48 12", "999", "0" * 41]
)
def test_what_is_not_a_number_is_refused(typed):
    assert parse_phone(typed) is None
    assert tidy_phone(typed) is None


def test_only_mobiles_count_as_mobiles():
    assert is_mobile("07700 900123")
    assert is_mobile("+48 601 234 567")  # a visiting colleague's own mobile from abroad
    assert not is_mobile("070 1234 5678")  # personal numbers forward anywhere
    assert not is_mobile("0113 496 0123")
    assert not is_mobile("0800 123 4567")
    assert not is_mobile(None)


def test_a_work_mobile_must_be_a_mobile_but_an_emergency_contact_may_be_abroad():
    def problems(**kw: str) -> dict[str, str]:
        draft = StaffDraft(first_name="Ola", last_name="Nowak", job_role=JobRole.TEACHER, **kw)
        return {p.field: p.message for p in check_staff(draft, date(2026, 11, 23))}

    assert "work_mobile" in problems(work_mobile="070 1234 5678")
    assert "work_mobile" not in problems(work_mobile="+48 601 234 567")
    found = problems(
        work_mobile="07700 900123",
        emergency_contact_name="Jan Nowak",
        emergency_contact_phone="+48 22 123 45 67",
    )
    assert "emergency_contact_phone" not in found
