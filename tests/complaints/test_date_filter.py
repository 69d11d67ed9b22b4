"""The templates' `date` filter (complaints/templatetags/dates.py) prints what Django's prints."""

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template, engines
from django.template.defaultfilters import date as django_date
from django.utils import timezone, translation

from complaints.templatetags import dates

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"
USED_FORMATS = sorted(
    {
        match.group(2)
        for path in TEMPLATES_DIR.rglob("*.html")
        for match in re.finditer(r"\|date:(['\"])(.*?)\1", path.read_text())
    }
)
EXTRA_FORMATS = ["jS F Y", "d/m/Y", "D j M", "N j, Y", "F Y", "y-m-d G:i", "r", "DATE_FORMAT", "SHORT_DATE_FORMAT"]
VALUES = [
    datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # the night the clocks go forward
    datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
    datetime(2026, 10, 25, 0, 59, 59, 123456, tzinfo=UTC),  # the night they go back
    datetime(2026, 10, 25, 1, 0, tzinfo=UTC),
    datetime(2024, 2, 29, 23, 5, tzinfo=UTC),
    datetime(1999, 12, 31, 23, 59),  # naive
    datetime(9, 1, 1, 7, 8, tzinfo=UTC),
    date(2026, 1, 1),
    date(2025, 12, 7),
    *(datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=day * 37, minutes=day * 71) for day in range(12)),
]


def test_the_templates_use_some_date_formats():
    assert "j F Y" in USED_FORMATS and len(USED_FORMATS) >= 5


def test_the_date_filter_in_templates_is_the_fast_one():
    engine = engines["django"].engine
    assert Template("{{ value|date:'j F Y' }}", engine=engine).nodelist[0].filter_expression.filters[0][0] is dates.date


@pytest.mark.parametrize("format_string", USED_FORMATS + EXTRA_FORMATS)
@pytest.mark.parametrize("language", ["en-gb", "fr", "cy"])
def test_every_format_prints_what_djangos_filter_prints(format_string, language):
    with translation.override(language):
        for value in VALUES:
            local = timezone.localtime(value) if isinstance(value, datetime) and timezone.is_aware(value) else value
            try:
                expected = django_date(local, format_string)
            except TypeError:  # Django refuses time letters for a plain date
                with pytest.raises(TypeError):
                    dates.date(local, format_string)
                continue
            assert dates.date(local, format_string) == expected, (format_string, value)


def test_a_template_prints_local_time_as_djangos_filter_does():
    value = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 July in London
    rendered = Template('{{ value|date:"j F Y, H:i" }} {{ value|date:"c" }}').render(Context({"value": value}))
    assert rendered == "2 July 2026, 00:30 2026-07-02T00:30:00+01:00"


@pytest.mark.parametrize("value", [None, "", "not a date", 17, [date(2026, 1, 1)]])
def test_values_that_are_not_dates_print_as_djangos_filter_prints_them(value):
    assert dates.date(value, "j F Y") == django_date(value, "j F Y")


def test_no_format_means_the_default_date_format():
    value = date(2026, 5, 4)
    assert dates.date(value) == django_date(value) != ""
