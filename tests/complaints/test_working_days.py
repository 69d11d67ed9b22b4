"""The working-day calendar against known dates: weekends, each nation's bank holidays (England and
Wales share one list), one-off days, and a council's own closure days."""

from datetime import date

import pytest

from complaints.models import ClosureDay
from complaints.services.working_days import (
    Calendar,
    UnknownNation,
    add_working_days,
    calendar_for,
    due_date,
    working_days_between,
)
from tests.factories import make_district, make_parish

ENG = Calendar(nation="ENG")
WLS = Calendar(nation="WLS")
SCT = Calendar(nation="SCT")
NIR = Calendar(nation="NIR")


def test_the_example_from_the_brief_is_due_on_monday_4_january_2027():
    due = add_working_days(date(2026, 12, 23), 5, nation="ENG")
    assert due.due_on == date(2027, 1, 4)
    assert due.explanation.startswith(
        "5 working days from Wed 23 Dec 2026, excluding weekends and England and Wales bank holidays:"
        " due Mon 4 Jan 2027."
    )
    assert "Christmas Day (Fri 25 Dec 2026)" in due.explanation
    assert "Boxing Day (observed) (Mon 28 Dec 2026)" in due.explanation
    assert "New Year's Day (Fri 1 Jan 2027)" in due.explanation


@pytest.mark.parametrize(
    "day", [date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1), date(2023, 5, 8), date(2022, 9, 19)]
)
@pytest.mark.parametrize("calendar", [ENG, WLS, SCT, NIR], ids=["ENG", "WLS", "SCT", "NIR"])
def test_christmas_boxing_day_substitute_new_year_and_the_one_off_days_are_not_working_days(calendar, day):
    assert not calendar.is_working_day(day)


def test_the_coronation_and_the_state_funeral_are_named_in_the_sentence():
    assert "Coronation of Charles III (Mon 8 May 2023)" in due_date(date(2023, 5, 5), 1, calendar=ENG).explanation
    funeral = due_date(date(2022, 9, 16), 1, calendar=ENG)
    assert funeral.due_on == date(2022, 9, 20)
    assert "State Funeral of Queen Elizabeth II (Mon 19 Sep 2022)" in funeral.explanation


def test_scotland_keeps_2_january_and_st_andrews_day_and_england_does_not():
    # 2 Jan 2026 is a Friday; St Andrew's Day 2026 falls on a Monday.
    assert not SCT.is_working_day(date(2026, 1, 2))
    assert ENG.is_working_day(date(2026, 1, 2))
    assert not SCT.is_working_day(date(2026, 11, 30))
    assert ENG.is_working_day(date(2026, 11, 30))
    assert due_date(date(2026, 11, 27), 1, calendar=SCT).due_on == date(2026, 12, 1)
    assert due_date(date(2026, 11, 27), 1, calendar=ENG).due_on == date(2026, 11, 30)
    # 2 Jan 2027 is a Saturday: Scotland takes Monday 4 January instead.
    assert due_date(date(2026, 12, 31), 1, calendar=SCT).due_on == date(2027, 1, 5)
    assert "Scottish bank holidays" in due_date(date(2026, 12, 31), 1, calendar=SCT).explanation


def test_easter_monday_is_a_bank_holiday_outside_scotland_but_not_in_scotland():
    easter_monday = date(2026, 4, 6)
    for calendar in (ENG, WLS, NIR):
        assert not calendar.is_working_day(easter_monday)
    assert SCT.is_working_day(easter_monday)
    assert due_date(date(2026, 4, 2), 1, calendar=ENG).due_on == date(2026, 4, 7)  # Good Friday and Easter Monday
    assert due_date(date(2026, 4, 2), 1, calendar=SCT).due_on == date(2026, 4, 6)  # Good Friday only


def test_wales_reads_the_same_list_as_england_and_northern_ireland_has_its_own():
    assert WLS.excluded_phrase == ENG.excluded_phrase
    assert not NIR.is_working_day(date(2026, 3, 17))  # St Patrick's Day
    assert ENG.is_working_day(date(2026, 3, 17))


def test_weekends_are_skipped_and_the_start_day_is_day_zero():
    assert due_date(date(2026, 11, 20), 0, calendar=ENG).due_on == date(2026, 11, 20)
    assert due_date(date(2026, 11, 20), 1, calendar=ENG).due_on == date(2026, 11, 23)  # Friday to Monday
    assert working_days_between(date(2026, 11, 20), date(2026, 11, 27), ENG) == 5


def test_an_unknown_nation_is_refused():
    with pytest.raises(UnknownNation):
        Calendar(nation="XYZ")


def test_a_review_window_counts_calendar_days():
    due = due_date(date(2026, 12, 23), 7, calendar=ENG, counting="calendar")
    assert due.due_on == date(2026, 12, 30)
    assert due.explanation == (
        "7 days from Wed 23 Dec 2026, counting every day including weekends and bank holidays: due Wed 30 Dec 2026."
    )


@pytest.mark.django_db
def test_a_council_closure_day_is_not_counted_for_the_council_and_its_parishes_only():
    northmoor = make_district()
    parish = make_parish(northmoor)
    other = make_district(name="Southshire District Council", slug="southshire")
    ClosureDay.objects.create(authority=northmoor, day=date(2026, 12, 24), reason="Christmas shutdown")
    for council in (northmoor, parish):
        due = due_date(date(2026, 12, 23), 5, calendar=calendar_for(council))
        assert due.due_on == date(2027, 1, 5)
        assert due.explanation.startswith(
            "5 working days from Wed 23 Dec 2026, excluding weekends, England and Wales bank holidays and the"
            " council's closure days: due Tue 5 Jan 2027."
        )
        assert "council closure day (Christmas shutdown) (Thu 24 Dec 2026)" in due.explanation
    assert due_date(date(2026, 12, 23), 5, calendar=calendar_for(other)).due_on == date(2027, 1, 4)


@pytest.mark.django_db
def test_a_council_in_scotland_uses_scottish_bank_holidays():
    council = make_district(name="Glenburn Council", slug="glenburn")
    council.nation = "SCT"
    council.save()
    parish = make_parish(council, name="Glenburn Community", slug="glenburn-community")
    assert calendar_for(parish).nation == "SCT"
    assert due_date(date(2026, 11, 27), 1, calendar=calendar_for(parish)).due_on == date(2026, 12, 1)
