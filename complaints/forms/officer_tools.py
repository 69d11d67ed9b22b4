"""The officer workspace's working-day calculator: a GET form, every bad value a GOV.UK message."""

from __future__ import annotations

import re
from datetime import date

from django import forms

from complaints.forms.escaping import escape
from complaints.models import LOCAL_KINDS, Authority, Nation

MAX_DAYS = 1000
FIRST_YEAR, LAST_YEAR = 2000, 2060  # the years the bank holiday lists cover
PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))


def _number(text: str) -> bool:
    return re.fullmatch(r"[0-9]{1,9}", text) is not None


class WorkingDaysForm(forms.Form):
    start_day = forms.CharField(required=False)
    start_month = forms.CharField(required=False)
    start_year = forms.CharField(required=False)
    days = forms.CharField(
        label="Number of working days",
        required=False,
        help_text="The start date is day 0. For example, 20",
    )
    nation = forms.ChoiceField(
        label="Whose bank holidays",
        choices=Nation.choices,
        error_messages={
            "required": "Select whose bank holidays apply",
            "invalid_choice": "Select whose bank holidays apply",
        },
    )
    council = forms.ChoiceField(
        label="Council (optional)",
        required=False,
        help_text="Its closure days are not counted either",
        error_messages={"invalid_choice": "Select a council from the list"},
    )

    def __init__(self, data=None):
        super().__init__(data)
        self.councils = {c.slug: c for c in Authority.objects.exclude(kind__in=LOCAL_KINDS).order_by("name")}
        self.fields["council"].choices = [("", "No council")] + [(s, escape(c.name)) for s, c in self.councils.items()]
        self.start_error_parts: tuple[str, ...] = ()

    def _start(self) -> date | None:
        raw = {part: (self.cleaned_data.get(f"start_{part}") or "").strip() for part, _, _ in PARTS}
        missing = [part for part, _, _ in PARTS if not raw[part]]
        if len(missing) == 3:
            self.start_error_parts = tuple(p for p, _, _ in PARTS)
            self.add_error(None, forms.ValidationError("Enter the start date", code="start"))
            return None
        if missing:
            self.start_error_parts = tuple(missing)
            self.add_error(None, forms.ValidationError(f"The start date must include a {' and a '.join(missing)}"))
            return None
        if not all(_number(raw[p]) for p in raw):
            self.start_error_parts = tuple(p for p in raw if not _number(raw[p]))
            self.add_error(None, forms.ValidationError("The start date must be a real date"))
            return None
        try:
            start = date(int(raw["year"]), int(raw["month"]), int(raw["day"]))
        except (ValueError, OverflowError):
            self.start_error_parts = tuple(p for p, _, _ in PARTS)
            self.add_error(None, forms.ValidationError("The start date must be a real date"))
            return None
        if not FIRST_YEAR <= start.year <= LAST_YEAR:
            self.start_error_parts = ("year",)
            self.add_error(None, forms.ValidationError(f"The start date must be between {FIRST_YEAR} and {LAST_YEAR}"))
            return None
        return start

    def clean_days(self):
        text = (self.cleaned_data.get("days") or "").strip()
        if not text:
            raise forms.ValidationError("Enter the number of working days")
        if text.startswith("-") and _number(text[1:]):
            raise forms.ValidationError("The number of working days must be 0 or more")
        if not _number(text):
            raise forms.ValidationError("The number of working days must be a whole number, like 20")
        number = int(text)
        if number > MAX_DAYS:
            raise forms.ValidationError(f"The number of working days must be {MAX_DAYS:,} or fewer")
        return number

    def clean(self):
        cleaned = super().clean()
        cleaned["start"] = self._start()
        council = self.councils.get(cleaned.get("council") or "")
        cleaned["authority"] = council
        nation = cleaned.get("nation")
        if council is not None and nation and council.nation != nation:
            self.add_error(
                "council",
                f"{council.name} is in {council.get_nation_display()}: select {council.get_nation_display()}"
                " or no council",
            )
        return cleaned

    def error_list(self) -> list[tuple[str, str]]:
        """(anchor, message) pairs for the error summary, in the order of the page."""
        errors = []
        for message in self.errors.get("__all__", []):
            first = self.start_error_parts[0] if self.start_error_parts else "day"
            errors.append((f"id_start_{first}", message))
        for name in ("days", "nation", "council"):
            anchor = "id_nation_1" if name == "nation" else f"id_{name}"
            errors.extend((anchor, message) for message in self.errors.get(name, []))
        return errors

    def start_errors(self) -> list[str]:
        return list(self.errors.get("__all__", []))

    def start_parts(self) -> list[dict]:
        return [
            {
                "name": f"start_{part}",
                "label": label,
                "width": width,
                "value": (self.data.get(f"start_{part}", "") if self.data else ""),
                "error": part in self.start_error_parts,
            }
            for part, label, width in PARTS
        ]

    def nation_options(self) -> list[dict]:
        chosen = self.data.get("nation", "") if self.data else ""
        return [
            {"value": value, "label": label, "checked": value == chosen, "id": f"id_nation_{index}"}
            for index, (value, label) in enumerate(Nation.choices, start=1)
        ]

    def council_options(self) -> list[dict]:
        chosen = self.data.get("council", "") if self.data else ""
        return [{"value": v, "label": label, "selected": v == chosen} for v, label in self.fields["council"].choices]
