"""Forms of the officer workspace's dashboard: filters (GET, so a view can be bookmarked), bulk
assignment, and the possible-duplicates actions. Every value is validated; a bad one is an error
message on the page, never a 500 and never silently ignored."""

from __future__ import annotations

from datetime import date

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet

from complaints.forms.escaping import escape, escaped_choices
from complaints.models import Authority, Platform, Stage
from complaints.selectors.dashboard import DEFAULT_SORT, SORTS, UNASSIGNED, DashboardFilters
from guidance.models import ClauseCategory

ORDERS = (("asc", "Ascending"), ("desc", "Descending"))
MAX_SEARCH = 200


def _officer_label(user) -> str:
    return user.get_full_name().strip() or user.get_username()


class OptionalDateField(DateInputField):
    """A day/month/year date (GOV.UK date input) that may be left blank, but not half filled in."""

    def __init__(self, *, label: str, invalid_message: str, incomplete_message: str):
        super().__init__(label=label, help_text="For example, 27 3 2026", required=False, require_all_fields=False)
        for subfield in self.fields:
            subfield.required = False
            subfield.validators = [RegexValidator(r"^[0-9]+$", invalid_message)]
        self.invalid_message = invalid_message
        self.incomplete_message = incomplete_message

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        if not all(data_list):
            raise forms.ValidationError(self.incomplete_message, code="incomplete")
        day, month, year = data_list
        try:
            return date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError):
            raise forms.ValidationError(self.invalid_message, code="invalid") from None


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, search and sort, read from the query string."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=MAX_SEARCH,
        help_text="A reference, a councillor's or complainant's name, or words from the post",
        error_messages={"max_length": f"Search must be {MAX_SEARCH} characters or fewer"},
    )
    stage = forms.MultipleChoiceField(
        label="Stage",
        required=False,
        choices=Stage.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select stages from the list"},
    )
    council = forms.ChoiceField(
        label="Council",
        required=False,
        error_messages={"invalid_choice": "Select a council from the list"},
    )
    councillor = forms.CharField(
        label="Councillor",
        required=False,
        max_length=200,
        help_text="All or part of their name",
        error_messages={"max_length": "Councillor must be 200 characters or fewer"},
    )
    platform = forms.MultipleChoiceField(
        label="Platform",
        required=False,
        choices=Platform.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select platforms from the list"},
    )
    clause = forms.MultipleChoiceField(
        label="Part of the code alleged",
        required=False,
        choices=ClauseCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select parts of the code from the list"},
    )
    officer = forms.ChoiceField(
        label="Assigned officer",
        required=False,
        error_messages={"invalid_choice": "Select an officer from the list"},
    )
    received_from = OptionalDateField(
        label="Received on or after",
        invalid_message="Received on or after must be a real date",
        incomplete_message="Received on or after must include a day, month and year",
    )
    received_to = OptionalDateField(
        label="Received on or before",
        invalid_message="Received on or before must be a real date",
        incomplete_message="Received on or before must include a day, month and year",
    )
    overdue = forms.BooleanField(label="Only cases with an overdue clock", required=False)
    sort = forms.ChoiceField(
        required=False,
        choices=[(key, key) for key in SORTS],
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Sort by one of the table's columns"},
    )
    order = forms.ChoiceField(
        required=False,
        choices=ORDERS,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Sort order must be ascending or descending"},
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=1_000_000,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": "Page must be a whole number",
            "min_value": "Page must be 1 or more",
            "max_value": "Page must be 1,000,000 or less",
        },
    )

    def __init__(self, data, *, councils: list[tuple[Authority, list[Authority]]], officers: QuerySet):
        super().__init__(data)
        self._councils = {}
        grouped: list = [("", "All councils")]
        for principal, locals_ in councils:
            self._councils[principal.slug] = principal
            options = [(principal.slug, f"{principal.name}, with its parish and town councils")]
            for local in locals_:
                self._councils[local.slug] = local
                options.append((local.slug, local.name))
            grouped.append((principal.name, options))
        self.fields["council"].choices = escaped_choices(grouped)
        self._officers = {officer.get_username(): officer for officer in officers}
        self.fields["officer"].choices = [("", "Anyone"), (UNASSIGNED, "Unassigned")] + [
            (username, escape(_officer_label(officer))) for username, officer in self._officers.items()
        ]

    # Options for the hand-written GOV.UK markup of the filter panel (quicker to render than
    # a template per field, which matters on a page every officer opens all day).
    def options(self, name: str) -> list[dict]:
        chosen = set(self.data.getlist(name)) if hasattr(self.data, "getlist") else set()
        return [
            {"value": value, "label": label, "checked": str(value) in chosen, "id": f"id_{name}_{index}"}
            for index, (value, label) in enumerate(self.fields[name].choices, start=1)
        ]

    def stage_options(self):
        return self.options("stage")

    def platform_options(self):
        return self.options("platform")

    def clause_options(self):
        return self.options("clause")

    def officer_options(self):
        chosen = self.data.get("officer", "") if hasattr(self.data, "get") else ""
        return [{"value": v, "label": label, "selected": v == chosen} for v, label in self.fields["officer"].choices]

    def council_options(self):
        """[(group label or None, [{value, label, selected}])] for a <select> with <optgroup>s."""
        chosen = self.data.get("council", "") if hasattr(self.data, "get") else ""
        groups = []
        for value, label in self.fields["council"].choices:
            if isinstance(label, list | tuple):
                groups.append((value, [{"value": v, "label": text, "selected": v == chosen} for v, text in label]))
            else:
                groups.append((None, [{"value": value, "label": label, "selected": value == chosen}]))
        return groups

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def clean_councillor(self):
        return " ".join(self.cleaned_data["councillor"].split())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", "Received on or before must be the same as or after received on or after")
        return cleaned

    def filters(self, *, new_unassigned: bool = False) -> DashboardFilters:
        data = self.cleaned_data
        officer = data.get("officer") or None
        if officer and officer != UNASSIGNED:
            officer = self._officers[officer]
        return DashboardFilters(
            stages=tuple(data.get("stage") or ()),
            council=self._councils.get(data.get("council") or ""),
            councillor=data.get("councillor") or "",
            platforms=tuple(data.get("platform") or ()),
            clause_categories=tuple(data.get("clause") or ()),
            officer=officer,
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
            overdue_only=bool(data.get("overdue")),
            query=data.get("q") or "",
            new_unassigned=new_unassigned,
            sort=data.get("sort") or DEFAULT_SORT,
            descending=data.get("order") == "desc",
        )

    def selected_tags(self) -> list[tuple[str, str, str]]:
        """(heading, label, parameter to remove) for each filter applied, for MoJ's selected filters."""
        if not self.is_valid():
            return []
        data = self.cleaned_data
        tags = []
        for name, heading in (("stage", "Stage"), ("platform", "Platform"), ("clause", "Part of the code")):
            labels = dict(self.fields[name].choices)
            tags += [(heading, labels[value], f"{name}={value}") for value in data.get(name) or ()]
        if data.get("council"):
            council = self._councils[data["council"]]
            tags.append(("Council", council.name, f"council={council.slug}"))
        if data.get("councillor"):
            tags.append(("Councillor", data["councillor"], "councillor"))
        if data.get("officer"):
            labels = dict(self.fields["officer"].choices)
            tags.append(("Assigned officer", labels[data["officer"]], "officer"))
        if data.get("received_from"):
            tags.append(("Received", f"On or after {data['received_from']:%-d %B %Y}", "received_from"))
        if data.get("received_to"):
            tags.append(("Received", f"On or before {data['received_to']:%-d %B %Y}", "received_to"))
        if data.get("overdue"):
            tags.append(("Clocks", "Overdue only", "overdue"))
        return tags


class BulkAssignForm(forms.Form):
    """Assign the ticked cases to one officer."""

    cases = forms.MultipleChoiceField(
        label="Cases",
        error_messages={
            "required": "Select the cases to assign",
            "invalid_choice": "Select cases from the list",
        },
    )
    officer = forms.ChoiceField(
        label="Assign to",
        error_messages={
            "required": "Select an officer to assign the cases to",
            "invalid_choice": "Select an officer from the list",
        },
    )

    def __init__(self, data, *, officers: QuerySet, references: list[str]):
        super().__init__(data)
        self._officers = {officer.get_username(): officer for officer in officers}
        self.fields["officer"].choices = [("", "Choose an officer"), (UNASSIGNED, "Nobody (unassign)")] + [
            (username, escape(_officer_label(officer))) for username, officer in self._officers.items()
        ]
        self.fields["cases"].choices = [(reference, reference) for reference in references]

    def chosen_officer(self):
        value = self.cleaned_data["officer"]
        return None if value == UNASSIGNED else self._officers[value]


class DuplicateLinkForm(forms.Form):
    """Link one or more suggested complaints into a case."""

    into = forms.CharField(max_length=30, error_messages={"required": "Choose the case to link into"})
    complaints = forms.CharField(
        max_length=30 * 1000,
        error_messages={"required": "Choose the complaints to link"},
    )

    def clean_complaints(self):
        references = [value for value in self.cleaned_data["complaints"].split() if value]
        if not references:
            raise forms.ValidationError("Choose the complaints to link")
        return list(dict.fromkeys(references))


class DuplicateDismissForm(forms.Form):
    complaint = forms.CharField(max_length=30)
    case = forms.CharField(max_length=30)
