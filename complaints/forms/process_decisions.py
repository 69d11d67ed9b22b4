"""Forms of the deciding actions of the process: the decision, informal steps, the investigation
report, the hearing, review, closing and reopening, and unlinking a complaint.

Each is a VersionedForm (complaints/forms/process.py): a change made by someone else since the
form was opened is refused with everything typed kept. Every field says what is wrong with it in
GOV.UK style; the services check the same rules again.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone

from complaints.forms.escaping import escape, format_html
from complaints.forms.officer import OptionalDateField
from complaints.forms.process import VersionedForm, officer_label
from complaints.models import (
    Complaint,
    Finding,
    InformalStep,
    InformalStepKind,
    InformalStepStatus,
    NoFurtherActionReason,
    Outcome,
    ReviewResult,
    Sanction,
)
from complaints.services.decisions import clauses_alleged, investigators_for

MAX_TEXT = 10000

DECISION_OUTCOMES = [
    (Outcome.NO_FURTHER_ACTION, "No further action"),
    (Outcome.INFORMAL_RESOLUTION, "Informal resolution"),
    (Outcome.INVESTIGATION, "Investigation"),
    (Outcome.POLICE, "Referral to the police"),
    (Outcome.WITHDRAWN, "Withdrawn by the complainant"),
]


def _text(label: str, *, required: bool = True, help_text: str = "", missing: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": missing or f"Enter {label[0].lower()}{label[1:].rstrip('?')}",
            "max_length": f"{label.rstrip('?')} must be {MAX_TEXT:,} characters or fewer",
        },
    )


def _date(label: str, what: str) -> OptionalDateField:
    return OptionalDateField(
        label=label,
        invalid_message=f"{what} must be a real date",
        incomplete_message=f"{what} must include a day, month and year",
    )


def _not_in_future(form: forms.Form, name: str, what: str) -> None:
    value = form.cleaned_data.get(name)
    if name in form.errors:
        return
    if value is None:
        form.add_error(name, f"Enter {what[0].lower()}{what[1:]}")
    elif value > timezone.localdate():
        form.add_error(name, f"{what} must be today or in the past")


def clause_label(clause) -> str:
    return f"{clause.number}. {clause.heading} ({clause.code.title}, {clause.code.version})"


def complaint_label(complaint: Complaint) -> str:
    who = "confidential complainant" if complaint.identity_withheld else complaint.complainant_name
    return f"{complaint.reference} ({who})"


class _ClausesMixin:
    """Choices of the clauses alleged in the case's complaints."""

    def _clause_choices(self, name: str) -> None:
        self._clauses = {str(clause.pk): clause for clause in clauses_alleged(self.case)}
        self.fields[name].choices = [(key, escape(clause_label(clause))) for key, clause in self._clauses.items()]
        if not self._clauses:
            self.fields[name].help_text = "No clause was alleged in this case's complaints."

    def chosen_clauses(self, name: str) -> list:
        return [self._clauses[key] for key in self.cleaned_data.get(name) or []]


class DecideForm(_ClausesMixin, VersionedForm):
    outcome = forms.ChoiceField(
        label="What is the decision?",
        choices=DECISION_OUTCOMES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision", "invalid_choice": "Choose a decision from the list"},
    )
    no_further_action_reason = forms.ChoiceField(
        label="If no further action: why?",
        required=False,
        choices=NoFurtherActionReason.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a reason from the list"},
    )
    informal_steps = forms.MultipleChoiceField(
        label="If informal resolution: what will the councillor be asked to do?",
        required=False,
        choices=InformalStepKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each step is recorded later as done or refused.",
        error_messages={"invalid_choice": "Choose steps from the list"},
    )
    investigator = forms.ChoiceField(
        label="If investigation: who will investigate?",
        required=False,
        help_text="People with the Investigator role. Once appointed they can see this case.",
        error_messages={"invalid_choice": "Choose an investigator from the list"},
    )
    clauses_engaged = forms.MultipleChoiceField(
        label="Which provisions of the code are engaged?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="From the clauses the complainants alleged.",
        error_messages={"invalid_choice": "Choose clauses from the list"},
    )
    reasons = _text("Reasons for the decision", missing="Enter the reasons for the decision")
    ip_view = _text(
        "The Independent Person's view",
        required=False,
        help_text="If you consulted an Independent Person on this decision.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clause_choices("clauses_engaged")
        self._investigators = {person.get_username(): person for person in investigators_for(self.case)}
        self.fields["investigator"].choices = [("", "Choose an investigator")] + [
            (username, escape(officer_label(person))) for username, person in self._investigators.items()
        ]

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome == Outcome.NO_FURTHER_ACTION and not data.get("no_further_action_reason"):
            if "no_further_action_reason" not in self.errors:
                self.add_error("no_further_action_reason", "Choose why no further action is taken")
        if outcome == Outcome.INFORMAL_RESOLUTION and not data.get("informal_steps"):
            if "informal_steps" not in self.errors:
                self.add_error("informal_steps", "Choose at least one step of the informal resolution")
        if outcome == Outcome.INVESTIGATION and not data.get("investigator"):
            if "investigator" not in self.errors:
                self.add_error("investigator", "Choose who will investigate")
        return data

    def chosen_investigator(self):
        return self._investigators.get(self.cleaned_data.get("investigator") or "")


class InformalStepForm(VersionedForm):
    step = forms.ChoiceField(
        label="Which step?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the step", "invalid_choice": "Choose a step from the list"},
    )
    status = forms.ChoiceField(
        label="Was it done?",
        choices=[(InformalStepStatus.DONE, "Done"), (InformalStepStatus.REFUSED, "Refused by the councillor")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose done or refused", "invalid_choice": "Choose done or refused"},
    )
    note = _text(
        "What happened?",
        help_text="For example, the date of the apology and how it was given, or why the councillor refused.",
        missing="Enter what happened",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._steps = {
            str(step.pk): step
            for step in InformalStep.objects.filter(case=self.case, status=InformalStepStatus.PENDING).order_by("pk")
        }
        self.fields["step"].choices = [(key, step.get_kind_display()) for key, step in self._steps.items()]
        if not self._steps:
            self.fields["step"].help_text = "Every step has been recorded."

    def chosen_step(self):
        return self._steps[self.cleaned_data["step"]]


class InvestigationReportForm(VersionedForm):
    report_on = _date("Date of the final report", "The date of the report")
    finding = forms.ChoiceField(
        label="What did the investigator find?",
        choices=Finding.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the investigator found", "invalid_choice": "Choose a finding"},
    )
    summary = _text("Summary of the report", missing="Enter a summary of the report")

    def clean(self):
        data = super().clean()
        _not_in_future(self, "report_on", "The date of the report")
        return data


class HearingForm(_ClausesMixin, VersionedForm):
    hearing_on = _date("Date of the hearing", "The date of the hearing")
    outcome = forms.ChoiceField(
        label="What did the panel find?",
        choices=[(Outcome.BREACH, "A breach of the code"), (Outcome.NO_BREACH, "No breach of the code")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the panel found", "invalid_choice": "Choose what the panel found"},
    )
    clauses_breached = forms.MultipleChoiceField(
        label="If a breach: which provisions were breached?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose clauses from the list"},
    )
    sanctions = forms.MultipleChoiceField(
        label="If a breach: which sanctions?",
        required=False,
        choices=Sanction.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose sanctions from the list"},
    )
    ip_view = _text(
        "The Independent Person's view",
        help_text=(
            "The law requires it to be sought and taken into account before an investigated allegation is decided."
        ),
        missing="Enter the Independent Person's view",
    )
    reasons = _text("The panel's reasons", missing="Enter the panel's reasons")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clause_choices("clauses_breached")
        authority = self.case.authority
        if not authority.is_principal:
            self.fields["sanctions"].label = format_html(
                "If a breach: which sanctions does the panel recommend to {}?", authority.name
            )
            self.fields["sanctions"].help_text = format_html("{} decides; its clerk is told by e-mail.", authority.name)

    def clean(self):
        data = super().clean()
        _not_in_future(self, "hearing_on", "The date of the hearing")
        if data.get("outcome") == Outcome.NO_BREACH:
            if data.get("sanctions"):
                self.add_error("sanctions", "Sanctions can follow only a finding of breach: untick them")
            if data.get("clauses_breached"):
                self.add_error("clauses_breached", "No provision is breached if the panel found no breach: untick them")
        return data


class RequestReviewForm(VersionedForm):
    complaint = forms.ChoiceField(
        label="Whose request is it?",
        error_messages={"required": "Choose the complaint", "invalid_choice": "Choose a complaint from the list"},
    )
    requested_on = _date("When did they ask?", "The date of the request")
    grounds = _text("Their grounds for review", missing="Enter their grounds for review")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._complaints = {
            complaint.reference: complaint
            for complaint in Complaint.objects.filter(case=self.case).order_by("submitted_at", "pk")
        }
        self.fields["complaint"].choices = [("", "Choose a complaint")] + [
            (reference, escape(complaint_label(complaint))) for reference, complaint in self._complaints.items()
        ]

    def clean(self):
        data = super().clean()
        _not_in_future(self, "requested_on", "The date of the request")
        return data

    def chosen_complaint(self):
        return self._complaints[self.cleaned_data["complaint"]]


class DecideReviewForm(VersionedForm):
    result = forms.ChoiceField(
        label="What is the result of the review?",
        choices=ReviewResult.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the result of the review", "invalid_choice": "Choose a result"},
    )
    reasons = _text("Reasons", missing="Enter the reasons for the result")


class CloseForm(VersionedForm):
    reason = _text("Why is the case being closed?", missing="Enter why the case is being closed")


class ReopenForm(VersionedForm):
    reason = _text("Why is the case being reopened?", missing="Enter why the case is being reopened")


class UnlinkForm(VersionedForm):
    complaint = forms.ChoiceField(
        label="Which complaint becomes a case of its own?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the complaint to unlink",
            "invalid_choice": "Choose a complaint from the list",
        },
    )
    reason = _text(
        "Why is it unlinked?",
        help_text="For example, it is about a different post or incident.",
        missing="Enter why the complaint is unlinked",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._complaints = {
            complaint.reference: complaint
            for complaint in Complaint.objects.filter(case=self.case).order_by("submitted_at", "pk")
        }
        self.fields["complaint"].choices = [
            (reference, escape(complaint_label(complaint))) for reference, complaint in self._complaints.items()
        ]

    def clean(self):
        data = super().clean()
        if len(self._complaints) < 2:
            self.add_error(None, "This case has only one complaint: there is nothing to unlink it from")
        return data

    def chosen_complaint(self):
        return self._complaints[self.cleaned_data["complaint"]]
