"""Forms for decision notices: the officer's publishing page and the public register's filters."""

from __future__ import annotations

from django import forms

from complaints.forms.escaping import escaped_choices
from complaints.models import DecisionNotice, Outcome

STATEMENT_MAX = DecisionNotice._meta.get_field("statement_of_facts").max_length
REASON_MAX = DecisionNotice._meta.get_field("withdrawal_reason").max_length


class StatementForm(forms.Form):
    statement = forms.CharField(
        label="Statement of the facts for publication",
        required=False,
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="A brief statement of the facts, written for the public. Leave it empty to publish the "
        "statement generated from the case (shown in the preview). Names of complainants are removed "
        "from it, and the councillor's name too where they are not named.",
        error_messages={"max_length": f"The statement of the facts must be {STATEMENT_MAX} characters or fewer"},
    )


class PublishForm(forms.Form):
    digest = forms.RegexField(
        regex=r"^[0-9a-f]{64}$",
        widget=forms.HiddenInput,
        error_messages={
            "required": "Publish from the preview on this page",
            "invalid": "Publish from the preview on this page",
        },
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is the notice being withdrawn?",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded on the case's timeline. It is not shown to the public.",
        error_messages={
            "required": "Enter why the notice is being withdrawn",
            "max_length": f"The reason must be {REASON_MAX} characters or fewer",
        },
    )


class RegisterFilterForm(forms.Form):
    """The register's filters, from the address (GET). Every value is checked against a list."""

    council = forms.ChoiceField(
        label="Council",
        required=False,
        error_messages={"invalid_choice": "Select a council from the list"},
    )
    year = forms.TypedChoiceField(
        label="Year of decision",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Select a year from the list"},
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        required=False,
        choices=[("", "Any outcome"), *Outcome.choices],
        error_messages={"invalid_choice": "Select an outcome from the list"},
    )
    page = forms.CharField(required=False, max_length=12)

    def __init__(self, *args, councils: list, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].choices = [("", "Any council")] + escaped_choices(
            (group, [(a.slug, a.name) for a in authorities]) for group, authorities in councils
        )
        self.fields["year"].choices = [("", "Any year")] + [(str(year), str(year)) for year in years]

    def clean_page(self) -> int:
        raw = (self.cleaned_data.get("page") or "").strip()
        if not raw:
            return 1
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise forms.ValidationError("The page number must be a whole number, like 2")
        return int(raw)
