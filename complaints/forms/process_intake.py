"""Forms of the early actions on a case (registered in views/officer/actions_intake.py): the
acknowledgement, conflicts, questions to the complainant, the councillor's invitation and
response, consulting an Independent Person, the initial assessment, and restricting a
complainant's contact. Each is a VersionedForm; every bad value is a GOV.UK error message."""

from __future__ import annotations

from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size
from django import forms

from complaints.forms.escaping import escape, format_html
from complaints.forms.officer import OptionalDateField
from complaints.forms.process import VersionedForm, officer_label
from complaints.models import (
    Assessment,
    CapacityIndicator,
    Councillor,
    InformationRequest,
    MemberInvitation,
    Recommendation,
    RestrictionKind,
)
from complaints.selectors.assessment import assessment_facts, public_interest_questions
from complaints.services.consultations import independent_persons_for
from complaints.services.intake import AcknowledgedBy
from complaints.services.members import InvitationMethod

YES_NO = (("yes", "Yes"), ("no", "No"))
YES_NO_UNCLEAR = (("yes", "Yes"), ("no", "No"), ("unclear", "Unclear"))


def _text(label: str, *, required_message: str = "", max_length: int = 5000, help_text: str = "", rows: int = 5):
    return forms.CharField(
        label=label,
        required=bool(required_message),
        max_length=max_length,
        help_text=help_text,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required_message,
            "max_length": f"{label.rstrip('?')} must be {max_length:,} characters or fewer",
        },
    )


def _radios(label: str, choices, *, message: str, help_text: str = ""):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": message, "invalid_choice": message},
    )


def _note(about: str) -> forms.CharField:
    """The optional note under one of several questions: its label says, to a screen reader, which
    question it is about, and so does its error."""
    return forms.CharField(
        label=format_html('Note (optional)<span class="govuk-visually-hidden"> on {}</span>', about),
        required=False,
        max_length=1000,
        error_messages={"max_length": f"Note on {about} must be 1,000 characters or fewer"},
    )


def complaint_label(complaint) -> str:
    """A complaint as an officer may see it named: a confidential complainant stays unnamed."""
    if complaint.identity_withheld:
        return f"{complaint.reference}: confidential complainant"
    return f"{complaint.reference}: {complaint.complainant_name}"


class AcknowledgeForm(VersionedForm):
    how = _radios(
        "How was the complainant acknowledged?",
        AcknowledgedBy.CHOICES,
        message="Select how the complainant was acknowledged",
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=500,
        help_text="For example, the date the letter was posted",
        error_messages={"max_length": "Note must be 500 characters or fewer"},
    )


class DeclareConflictForm(VersionedForm):
    reason = _text(
        "Why do you have a conflict of interest?",
        required_message="Say why you have a conflict of interest",
        max_length=2000,
        help_text="For example, the councillor or the complainant is a relative, neighbour or friend",
    )


class RequestInformationForm(VersionedForm):
    complaint = _radios(
        "Which complainant do you need to ask?", (), message="Select the complaint whose complainant you are asking"
    )
    question = _text(
        "What do you need to know?",
        required_message="Enter the question for the complainant",
        help_text="This is e-mailed to the complainant as you write it",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._complaints = {c.reference: c for c in self.case.complaints.order_by("submitted_at", "pk")}
        self.fields["complaint"].choices = [(ref, escape(complaint_label(c))) for ref, c in self._complaints.items()]
        if len(self._complaints) == 1 and not self.is_bound:
            self.initial.setdefault("complaint", next(iter(self._complaints)))

    def chosen_complaint(self):
        return self._complaints[self.cleaned_data["complaint"]]


class RecordInformationForm(VersionedForm):
    request = _radios("Which question did the complainant answer?", (), message="Select the question that was answered")
    answer = _text(
        "What did the complainant send?",
        required_message="Enter what the complainant sent",
        max_length=10000,
        help_text="Copy the answer in, or summarise it and say where it is kept",
        rows=8,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        waiting = InformationRequest.objects.filter(case=self.case, answered_at__isnull=True).select_related(
            "complaint"
        )
        self._requests = {str(r.pk): r for r in waiting}
        self.fields["request"].choices = [
            (pk, escape(f"{r.complaint.reference}, asked {r.requested_at:%-d %B %Y}: {r.question[:120]}"))
            for pk, r in self._requests.items()
        ]
        if len(self._requests) == 1 and not self.is_bound:
            self.initial.setdefault("request", next(iter(self._requests)))

    def chosen_request(self):
        return self._requests[self.cleaned_data["request"]]


class InviteMemberForm(VersionedForm):
    councillors = forms.MultipleChoiceField(
        label="Which councillors should be invited to comment?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one councillor to invite",
            "invalid_choice": "Select councillors from the list",
        },
    )
    method = _radios(
        "How should the invitation be sent?", InvitationMethod.CHOICES, message="Select how to send the invitation"
    )
    note = _text(
        "Anything to add to the e-mail (optional)",
        max_length=3000,
        help_text="Do not name a complainant whose identity is withheld: any such detail is blanked out",
        rows=4,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        councillors = Councillor.objects.filter(complaints__case=self.case).distinct().order_by("name")
        self._councillors = {str(c.public_id): c for c in councillors}
        self.fields["councillors"].choices = [
            (key, escape(f"Cllr {c.name}" + (f" ({c.email})" if c.email else " (no e-mail address in the register)")))
            for key, c in self._councillors.items()
        ]
        if not self.is_bound:
            self.initial.setdefault("councillors", list(self._councillors))

    def chosen_councillors(self):
        return [self._councillors[key] for key in self.cleaned_data["councillors"]]


class MemberResponseForm(VersionedForm):
    """One box per councillor invited and not yet recorded; a case invited before invitations were
    recorded here (by letter outside the service) gets one box for the councillor's response."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._invitations = list(
            MemberInvitation.objects.filter(case=self.case, responded__isnull=True)
            .select_related("councillor")
            .order_by("councillor__name", "pk")
        )
        for invitation in self._invitations:
            name = invitation.councillor.name
            field = _text(
                f"Cllr {name}'s response",  # plain, for the error messages (escaped when shown)
                max_length=20000,
                help_text=f"Invited {invitation.invited_at:%-d %B %Y}. Leave empty if they did not respond",
                rows=6,
            )
            field.label = format_html("Cllr {}'s response", name)
            self.fields[f"response_{invitation.pk}"] = field
        if not self._invitations:
            self.fields["response"] = _text(
                "The councillor's response",
                required_message="Enter the councillor's response",
                max_length=20000,
                rows=6,
            )

    def clean(self):
        cleaned = super().clean()
        if (
            self._invitations
            and not self.errors
            and not any(cleaned.get(f"response_{i.pk}") for i in self._invitations)
        ):
            self.add_error(f"response_{self._invitations[0].pk}", "Enter at least one councillor's response")
        return cleaned

    def responses(self) -> dict[int | None, str]:
        if not self._invitations:
            return {None: self.cleaned_data["response"]}
        return {i.pk: self.cleaned_data.get(f"response_{i.pk}", "") for i in self._invitations}


class ConsultIPForm(VersionedForm):
    independent_person = _radios(
        "Which Independent Person do you want to consult?", (), message="Select an Independent Person"
    )
    question = _text(
        "What do you want their view on?",
        required_message="Enter the question for the Independent Person",
        help_text="For example, whether the complaint should be investigated",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        consulted = set(self.case.consultations.values_list("independent_person_id", flat=True))
        self._people = {p.get_username(): p for p in independent_persons_for(self.case)}
        self.fields["independent_person"].choices = [
            (username, escape(officer_label(person) + (" (already consulted)" if person.pk in consulted else "")))
            for username, person in self._people.items()
        ]

    def clean_independent_person(self):
        value = self.cleaned_data["independent_person"]
        person = self._people[value]
        if self.case.consultations.filter(independent_person=person).exists():
            raise forms.ValidationError(f"{officer_label(person)} has already been consulted on this case")
        return value

    def chosen_person(self):
        return self._people[self.cleaned_data["independent_person"]]


class AssessmentForm(VersionedForm):
    """The initial assessment. The jurisdiction questions start from the facts worked out from
    the register, the dates and the codes (selectors/assessment.py); the officer confirms them."""

    was_councillor_at_time = _radios(
        "Was the subject a councillor on the date of the conduct?",
        YES_NO,
        message="Select whether the subject was a councillor on the date of the conduct",
    )
    within_time_limit = _radios(
        "Was the complaint made within the time limit (or is there a good reason it is late)?",
        YES_NO,
        message="Select whether the complaint was made within the time limit",
    )
    conduct_covered_by_code = _radios(
        "Is the conduct covered by the code in force on that date?",
        YES_NO,
        message="Select whether the conduct is covered by the code in force on that date",
    )
    jurisdiction_notes = _text("Notes on jurisdiction (optional)", max_length=3000, rows=3)
    acting_as_councillor = _radios(
        "Taking the indicators together, was the councillor acting, or appearing to act, as a councillor?",
        YES_NO,
        message="Select whether the councillor was acting as a councillor",
    )
    capacity_view = _text(
        "Your reasoning on capacity",
        required_message="Give your reasoning on whether they were acting as a councillor",
        help_text="A clear personal-capacity disclaimer does not settle it where the post is about council business",
    )
    public_interest_view = _text(
        "Your view on the public interest",
        required_message="Give your view on the public interest test",
    )
    ip_views = _text("The Independent Person's view", max_length=5000, rows=4)
    recommendation = _radios("What do you recommend?", Recommendation.choices, message="Select your recommendation")
    recommendation_reasons = _text(
        "Reasons for the recommendation",
        required_message="Give the reasons for your recommendation",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.facts = assessment_facts(self.user, self.case)
        self.questions = public_interest_questions(self.case)
        capacity_fields = []
        for code, label in CapacityIndicator.choices:
            self.fields[f"capacity_{code}"] = _radios(
                label, YES_NO_UNCLEAR, message=f"Answer the indicator: {label[0].lower()}{label[1:]}"
            )
            self.fields[f"capacity_{code}_note"] = _note(f"the indicator “{label}”")
            capacity_fields += [
                Field.radios(f"capacity_{code}", inline=True, legend_size=Size.SMALL),
                Field.text(f"capacity_{code}_note"),
            ]
        interest_fields = []
        for index, question in enumerate(self.questions, start=1):
            self.fields[f"public_interest_{index}"] = _radios(
                escape(question), YES_NO_UNCLEAR, message=f"Answer question {index} of the public interest test"
            )
            self.fields[f"public_interest_{index}_note"] = _note(f"question {index} of the public interest test")
            interest_fields += [
                Field.radios(f"public_interest_{index}", inline=True, legend_size=Size.SMALL),
                Field.text(f"public_interest_{index}_note"),
            ]
        if not self.is_bound:
            self._initial_from_facts()
        # The error summary lists errors in the fields' order: make it the order of the page.
        self.order_fields(
            [
                "version",
                "was_councillor_at_time",
                "within_time_limit",
                "conduct_covered_by_code",
                "jurisdiction_notes",
                *(field.fields[0] for field in capacity_fields),
                "acting_as_councillor",
                "capacity_view",
                *(field.fields[0] for field in interest_fields),
                "public_interest_view",
                "ip_views",
                "recommendation",
                "recommendation_reasons",
            ]
        )
        self.helper.layout = Layout(
            "version",
            Fieldset(
                Field.radios("was_councillor_at_time", inline=True),
                Field.radios("within_time_limit", inline=True),
                Field.radios("conduct_covered_by_code", inline=True),
                Field.textarea("jurisdiction_notes"),
                legend="Jurisdiction",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                HTML('<p class="govuk-body">Answer each indicator from the seeds\' social media guidance.</p>'),
                *capacity_fields,
                Field.radios("acting_as_councillor", inline=True),
                Field.textarea("capacity_view"),
                legend="Capacity: acting as a councillor?",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                *interest_fields,
                Field.textarea("public_interest_view"),
                legend="Public interest test",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("ip_views"),
                legend="The Independent Person",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("recommendation"),
                Field.textarea("recommendation_reasons"),
                legend="Recommendation",
                legend_size=Size.MEDIUM,
            ),
        )

    def _initial_from_facts(self):
        def yes_no(value):
            return None if value is None else ("yes" if value else "no")

        assessment = Assessment.objects.filter(case=self.case).first()
        if assessment is not None and assessment.completed_at:
            self.initial.update(
                {
                    "was_councillor_at_time": yes_no(assessment.was_councillor_at_time),
                    "within_time_limit": yes_no(assessment.within_time_limit),
                    "conduct_covered_by_code": yes_no(assessment.conduct_covered_by_code),
                    "jurisdiction_notes": assessment.jurisdiction_notes,
                    "acting_as_councillor": yes_no(assessment.acting_as_councillor),
                    "capacity_view": assessment.capacity_view,
                    "public_interest_view": assessment.public_interest_view,
                    "ip_views": assessment.ip_views,
                    "recommendation": assessment.recommendation,
                    "recommendation_reasons": assessment.recommendation_reasons,
                }
            )
            for code, answer in (assessment.capacity_indicators or {}).items():
                if isinstance(answer, dict):
                    self.initial[f"capacity_{code}"] = answer.get("answer")
                    self.initial[f"capacity_{code}_note"] = answer.get("note", "")
            answers = {item["question"]: item for item in assessment.public_interest_answers or []}
            for index, question in enumerate(self.questions, start=1):
                if question in answers:
                    self.initial[f"public_interest_{index}"] = answers[question]["answer"]
                    self.initial[f"public_interest_{index}_note"] = answers[question].get("note", "")
            return
        self.initial.setdefault("was_councillor_at_time", yes_no(self.facts.in_office))
        self.initial.setdefault("within_time_limit", yes_no(self.facts.within_time_limit))
        views = [
            f"{officer_label(c.independent_person)} ({c.view_recorded_at:%-d %B %Y}): {c.view}"
            for c in self.facts.views
        ]
        if views:
            self.initial.setdefault("ip_views", "\n\n".join(views))

    def assessment_values(self) -> dict:
        data = self.cleaned_data
        return {
            "was_councillor_at_time": data["was_councillor_at_time"] == "yes",
            "within_time_limit": data["within_time_limit"] == "yes",
            "conduct_covered_by_code": data["conduct_covered_by_code"] == "yes",
            "code_in_force": self.facts.code,
            "jurisdiction_notes": data["jurisdiction_notes"],
            "capacity": {
                code: {"answer": data[f"capacity_{code}"], "note": data[f"capacity_{code}_note"]}
                for code in CapacityIndicator.values
            },
            "acting_as_councillor": data["acting_as_councillor"] == "yes",
            "capacity_view": data["capacity_view"],
            "public_interest": [
                {
                    "question": question,
                    "answer": data[f"public_interest_{index}"],
                    "note": data[f"public_interest_{index}_note"],
                }
                for index, question in enumerate(self.questions, start=1)
            ],
            "public_interest_view": data["public_interest_view"],
            "ip_views": data["ip_views"],
            "recommendation": data["recommendation"],
            "recommendation_reasons": data["recommendation_reasons"],
        }


class RestrictComplainantForm(VersionedForm):
    complaint = _radios("Which complainant?", (), message="Select the complaint whose complainant you are restricting")
    kind = _radios(
        "How is the complainant to be treated?", RestrictionKind.choices, message="Select vexatious or persistent"
    )
    reason = _text(
        "Reasons",
        required_message="Give the reasons for restricting the complainant's contact",
        help_text="What the complainant has done, and how contact with them will be handled from now on",
    )
    ip_view = _text("The Independent Person's view (optional)", max_length=5000, rows=3)
    review_on = OptionalDateField(
        label="When will the restriction be reviewed?",
        invalid_message="Review date must be a real date",
        incomplete_message="Review date must include a day, month and year",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._complaints = {c.reference: c for c in self.case.complaints.order_by("submitted_at", "pk")}
        self.fields["complaint"].choices = [(ref, escape(complaint_label(c))) for ref, c in self._complaints.items()]

    def clean_review_on(self):
        from django.utils import timezone

        value = self.cleaned_data.get("review_on")
        if value is None:
            raise forms.ValidationError("Enter the date the restriction will be reviewed")
        if value <= timezone.localdate():
            raise forms.ValidationError("Review date must be in the future")
        return value

    def chosen_complaint(self):
        return self._complaints[self.cleaned_data["complaint"]]


class ConsultationViewForm(forms.Form):
    """The Independent Person's own page: their view on the question they were asked."""

    view = _text(
        "Your view",
        required_message="Enter your view",
        max_length=10000,
        help_text="The Monitoring Officer takes it into account before deciding",
        rows=10,
    )

    def __init__(self, *args, **kwargs):
        from crispy_forms_gds.helper import FormHelper

        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


__all__ = [
    "AcknowledgeForm",
    "AssessmentForm",
    "ConsultIPForm",
    "ConsultationViewForm",
    "DeclareConflictForm",
    "InviteMemberForm",
    "MemberResponseForm",
    "RecordInformationForm",
    "RequestInformationForm",
    "RestrictComplainantForm",
]
