"""The Standards Committee report form: the period, the councils and the words around the figures."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms

from complaints.forms.escaping import escaped_choices
from complaints.selectors.committee_report import scope_choices
from complaints.services.committee_report import IMPLICATIONS

MAX_PERIOD_DAYS = 3 * 366
QUARTER_NAMES = {4: "April to June", 7: "July to September", 10: "October to December", 1: "January to March"}


def _quarter_end(start: date) -> date:
    month = start.month + 3
    year = start.year + (month > 12)
    month = month - 12 if month > 12 else month
    return date(year, month, 1) - timedelta(days=1)


def quarter_choices(today: date, count: int = 8) -> list[tuple[str, str]]:
    """The last ``count`` quarters (April-June, ...), newest first, the current one included."""
    month = ((today.month - 1) // 3) * 3 + 1
    start = date(today.year, month, 1)
    choices = []
    for _ in range(count):
        end = _quarter_end(start)
        choices.append((f"{start}:{end}", f"{QUARTER_NAMES[start.month]} {start.year}"))
        previous_month = start.month - 3
        start = date(
            start.year - (previous_month < 1), previous_month + 12 if previous_month < 1 else previous_month, 1
        )
    return choices


def year_choices(today: date, count: int = 5) -> list[tuple[str, str]]:
    """The last ``count`` financial years (1 April to 31 March), newest first."""
    first = today.year if today.month >= 4 else today.year - 1
    return [
        (f"{date(y, 4, 1)}:{date(y + 1, 3, 31)}", f"April {y} to March {y + 1}")
        for y in range(first, first - count, -1)
    ]


class DateParts:
    """A GOV.UK date input (day, month, year) read from three fields named prefix_day etc."""

    def __init__(self, prefix: str, label: str):
        self.prefix = prefix
        self.label = label

    def names(self) -> list[str]:
        return [f"{self.prefix}_{part}" for part in ("day", "month", "year")]

    def read(self, data: dict, *, required: bool) -> tuple[date | None, str | None]:
        day, month, year = ((data.get(name) or "").strip() for name in self.names())
        if not (day or month or year):
            return None, (f"Enter {self.label.lower()}" if required else None)
        if not (day and month and year):
            missing = [n for n, v in (("day", day), ("month", month), ("year", year)) if not v]
            return None, f"{self.label} must include a {' and '.join(missing)}"
        if not all(v.isascii() and v.isdigit() for v in (day, month, year)) or len(year) != 4 or len(day) > 2:
            return None, f"{self.label} must be a real date"
        try:
            return date(int(year), int(month), int(day)), None
        except ValueError:
            return None, f"{self.label} must be a real date"


START = DateParts("start", "The start date")
END = DateParts("end", "The end date")
MEETING = DateParts("meeting", "The meeting date")


class CommitteeReportForm(forms.Form):
    period_kind = forms.ChoiceField(
        choices=[("quarter", "A quarter"), ("year", "A year (April to March)"), ("custom", "Other dates")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the period the report covers", "invalid_choice": "Choose a period"},
    )
    quarter = forms.ChoiceField(required=False, error_messages={"invalid_choice": "Choose a quarter from the list"})
    year = forms.ChoiceField(required=False, error_messages={"invalid_choice": "Choose a year from the list"})
    scope = forms.ChoiceField(
        error_messages={"required": "Choose the councils", "invalid_choice": "Choose the councils"}
    )
    committee = forms.CharField(
        max_length=200,
        error_messages={
            "required": "Enter the committee's name",
            "max_length": "The committee's name must be 200 characters or fewer",
        },
    )
    title = forms.CharField(
        required=False, max_length=300, error_messages={"max_length": "The title must be 300 characters or fewer"}
    )
    officer_contact = forms.CharField(
        max_length=500,
        error_messages={
            "required": "Enter the officer contact",
            "max_length": "The officer contact must be 500 characters or fewer",
        },
    )
    purpose = forms.CharField(
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": "Enter the purpose", "max_length": "The purpose must be 2,000 characters or fewer"},
    )
    recommendations = forms.CharField(
        required=False,
        max_length=3000,
        widget=forms.Textarea,
        error_messages={"max_length": "The recommendations must be 3,000 characters or fewer"},
    )
    paragraphs = forms.CharField(
        required=False,
        max_length=10000,
        widget=forms.Textarea,
        error_messages={"max_length": "The introduction must be 10,000 characters or fewer"},
    )
    background_papers = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"max_length": "The background papers must be 2,000 characters or fewer"},
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["quarter"].choices = quarter_choices(today)
        self.fields["year"].choices = year_choices(today)
        self.fields["scope"].choices = escaped_choices(scope_choices())
        for key, label in IMPLICATIONS:
            self.fields[f"implication_{key}"] = forms.CharField(
                label=label,
                required=False,
                max_length=2000,
                widget=forms.Textarea,
                error_messages={"max_length": f"{label} must be 2,000 characters or fewer"},
            )
        self.date_errors: dict[str, str] = {}

    def implication_fields(self):
        return [self[f"implication_{key}"] for key, _ in IMPLICATIONS]

    def clean(self):
        data = super().clean()
        kind = data.get("period_kind")
        start = end = None
        if kind in ("quarter", "year"):
            value = data.get(kind)
            if not value:
                self.add_error(kind, f"Choose a {kind} from the list")
            else:
                start, end = (date.fromisoformat(part) for part in value.split(":"))
        elif kind == "custom":
            start, start_error = START.read(self.data, required=True)
            end, end_error = END.read(self.data, required=True)
            if start_error:
                self.date_errors["start"] = start_error
            if end_error:
                self.date_errors["end"] = end_error
            if start and end and end < start:
                self.date_errors["end"] = "The end date must be the same as or after the start date"
            elif start and end and (end - start).days + 1 > MAX_PERIOD_DAYS:
                self.date_errors["end"] = "The period can be at most 3 years long"
            if self.date_errors:
                start = end = None
        meeting, meeting_error = MEETING.read(self.data, required=False)
        if meeting_error:
            self.date_errors["meeting"] = meeting_error
        for name, message in self.date_errors.items():
            self._errors[f"{name}_date"] = self.error_class([message])
        data["start"], data["end"], data["meeting_date"] = start, end, meeting
        return data

    def error_list(self) -> list[tuple[str, str]]:
        """(anchor, message) pairs for the error summary, in the order of the page."""
        anchors = {"period_kind": "id_period_kind_0", "start_date": "start_day", "end_date": "end_day"}
        anchors["meeting_date"] = "meeting_day"
        order = ["period_kind", "quarter", "year", "start_date", "end_date", "scope", "meeting_date", *self.fields]
        names = sorted(self.errors, key=lambda name: order.index(name) if name in order else len(order))
        return [(anchors.get(name, f"id_{name}"), message) for name in names for message in self.errors[name]]
