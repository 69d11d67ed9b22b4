"""The questions of the public complaint form, one form per page (GOV.UK question pages)."""

import re
from datetime import date

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.utils import timezone

from complaints.models import CapacityIndicator, ComplainantType, Platform

_PHONE = re.compile(r"^[0-9+() \-]{7,40}$")
YES_NO = [("yes", "Yes"), ("no", "No")]


class GovukDateField(DateInputField):
    """crispy-forms-gds's day/month/year field with GOV.UK wording for every error."""

    def __init__(self, *, label: str, help_text: str = "", required_message: str, invalid_message: str):
        super().__init__(label=label, help_text=help_text)
        self.error_messages.update({"required": required_message, "incomplete": required_message})
        self.invalid_message = invalid_message

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            return date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError):
            raise forms.ValidationError(self.invalid_message, code="invalid") from None


class QuestionForm(forms.Form):
    """Base for question pages: GOV.UK rendering, no <form> tag (the page template owns it)."""

    layout: tuple = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        if self.layout:
            self.helper.layout = Layout(*self.layout)

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                cleaned[name] = value.strip()
        return cleaned


def _text(max_length: int, label: str, *, required=True, hint="", required_message="", widget=None):
    messages = {"max_length": f"{label} must be {max_length} characters or fewer"}
    if required_message:
        messages["required"] = required_message
    return forms.CharField(
        label=label, max_length=max_length, required=required, help_text=hint, error_messages=messages, widget=widget
    )


class AboutYouForm(QuestionForm):
    name = _text(
        200,
        "Full name",
        required_message="Enter your full name",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        # A text input typed as email: crispy-forms-gds styles errors on text inputs only.
        widget=forms.TextInput(attrs={"type": "email", "spellcheck": "false", "autocomplete": "email"}),
        help_text="We will send your reference number and updates to this address.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    phone = _text(
        40,
        "Phone number (optional)",
        required=False,
        hint="For example, 01632 960 001 or 07700 900 982",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    address = _text(
        500,
        "Postal address (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "street-address"}),
    )
    complainant_type = forms.ChoiceField(
        label="Which of these describes you?",
        choices=ComplainantType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which of these describes you"},
    )
    complainant_type_other = _text(100, "If you chose other, tell us how you would describe yourself", required=False)

    layout = (
        Field.text("name", field_width=20),
        Field.text("email", field_width=20),
        Field.text("phone", field_width=20),
        Field.textarea("address", rows=4),
        Field.radios("complainant_type", legend_size=Size.SMALL),
        Field.text("complainant_type_other", field_width=20),
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not _PHONE.match(phone):
            raise forms.ValidationError("Enter a phone number, like 01632 960 001 or 07700 900 982")
        return phone

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("complainant_type") == ComplainantType.OTHER and not cleaned.get("complainant_type_other"):
            self.add_error("complainant_type_other", "Tell us how you would describe yourself")
        if cleaned.get("complainant_type") != ComplainantType.OTHER:
            cleaned["complainant_type_other"] = ""
        return cleaned


class CouncilForm(QuestionForm):
    authority = forms.ChoiceField(
        label="Which council is the councillor a member of?",
        help_text="Complaints about parish and town councillors in the area also come to our Monitoring Officer.",
        error_messages={
            "required": "Select the council the councillor is a member of",
            "invalid_choice": "Select a council from the list",
        },
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].choices = [("", "Select a council")] + list(choices)
        self.helper.layout = Layout(Field.select("authority"))


class CouncillorsForm(QuestionForm):
    councillors = forms.MultipleChoiceField(
        label="Which councillor or councillors is your complaint about?",
        help_text="Select all that apply.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select councillors from the list"},
    )
    unlisted = _text(
        500,
        "If the councillor is not listed, enter their name",
        required=False,
        hint="We will find them on the council's register.",
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["councillors"].choices = list(choices)
        self.helper.layout = Layout(
            Field.checkboxes("councillors", legend_size=Size.SMALL, small=True),
            Field.text("unlisted", field_width=30),
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("councillors") and not cleaned.get("unlisted") and not self.errors:
            self.add_error("councillors", "Select the councillor, or enter their name if they are not listed")
        return cleaned


class PostForm(QuestionForm):
    platform = forms.ChoiceField(
        label="Where was it posted?",
        choices=Platform.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where it was posted"},
    )
    platform_other = _text(100, "If you chose other, where was it posted?", required=False)
    url = forms.URLField(
        label="Link to the post (optional)",
        max_length=2000,
        required=False,
        assume_scheme="https",
        # A text input typed as url: crispy-forms-gds gives GOV.UK styling to text inputs only.
        widget=forms.TextInput(attrs={"type": "url", "spellcheck": "false"}),
        help_text="Copy the address from your browser or the post's share button, if you have it.",
        error_messages={
            "invalid": "Enter the link in the correct format, like https://www.facebook.com/...",
            "max_length": "The link must be 2000 characters or fewer",
        },
    )
    account_name = _text(
        200,
        "Name of the account that posted it",
        hint="As it appears on the post, for example Cllr Jo Bloggs or @jobloggs",
        required_message="Enter the name of the account that posted it",
    )
    posted_on = GovukDateField(
        label="When was it posted?",
        help_text="For example, 27 3 2026. If you do not know the exact day, give your best estimate.",
        required_message="Enter the date it was posted",
        invalid_message="The date it was posted must be a real date",
    )
    text_reported = _text(
        5000,
        "What did it say or show?",
        hint="Copy the words exactly if you can, and describe any pictures.",
        required_message="Enter what the post said or showed",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    capacity_indicators = forms.MultipleChoiceField(
        label="Why do you think the councillor was acting as a councillor?",
        help_text=(
            "The Code of Conduct applies when a councillor acts, or gives the impression of acting, as a councillor. "
            "Select all that apply."
        ),
        choices=CapacityIndicator.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select reasons from the list"},
    )
    capacity_explanation = _text(
        3000,
        "Tell us more about why (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    layout = (
        Field.radios("platform", legend_size=Size.SMALL),
        Field.text("platform_other", field_width=20),
        Field.text("url"),
        Field.text("account_name", field_width=20),
        Field("posted_on"),
        Field.textarea("text_reported", rows=6),
        Field.checkboxes("capacity_indicators", legend_size=Size.SMALL, small=True),
        Field.textarea("capacity_explanation", rows=4),
    )

    def clean_posted_on(self):
        posted_on: date = self.cleaned_data["posted_on"]
        if posted_on > timezone.localdate():
            raise forms.ValidationError("The date it was posted must be today or in the past")
        if posted_on.year < 2000:
            raise forms.ValidationError("The date it was posted must be after 2000")
        return posted_on

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("platform") == Platform.OTHER and not cleaned.get("platform_other"):
            self.add_error("platform_other", "Tell us where it was posted")
        if cleaned.get("platform") != Platform.OTHER:
            cleaned["platform_other"] = ""
        indicators = cleaned.get("capacity_indicators") or []
        if "capacity_indicators" not in self.errors:
            if not indicators and not cleaned.get("capacity_explanation"):
                self.add_error(
                    "capacity_indicators", "Select why you think they were acting as a councillor, or tell us more"
                )
            elif CapacityIndicator.OTHER in indicators and not cleaned.get("capacity_explanation"):
                self.add_error(
                    "capacity_explanation", "Tell us what else made you think they were acting as a councillor"
                )
        return cleaned


class AddAnotherPostForm(QuestionForm):
    add_another = forms.ChoiceField(
        label="Do you want to add another post?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you want to add another post"},
    )
    layout = (Field.radios("add_another", legend_size=Size.MEDIUM, inline=True),)


class ClausesForm(QuestionForm):
    clauses = forms.MultipleChoiceField(
        label="Which parts of the Code of Conduct do you think were broken?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select parts of the code from the list"},
    )
    not_sure = forms.BooleanField(label="I'm not sure", required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clauses"].choices = list(choices)
        self.helper.layout = Layout(
            Field.checkboxes("clauses", legend_size=Size.SMALL),
            Field.checkbox("not_sure", small=True),
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("clauses") and not cleaned.get("not_sure") and not self.errors:
            self.add_error("clauses", "Select the parts of the code you think were broken, or select I'm not sure")
        return cleaned


class EvidenceFileField(forms.FileField):
    """Leaves every check of the file to the evidence service, whose messages name the file."""

    def to_python(self, data):
        return data or None


class EvidenceUploadForm(QuestionForm):
    file = EvidenceFileField(
        label="Upload a file",
        required=False,
        help_text="A screenshot or photo (PNG, JPEG, WebP, GIF or HEIC) or a PDF, up to 10MB.",
        error_messages={"invalid": "The selected file could not be read. Try uploading it again"},
    )
    no_evidence_reason = _text(
        2000,
        "If you cannot send a screenshot, tell us why",
        required=False,
        hint="For example, the post was deleted before you could take one.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    layout = (Field("file"),)


class OutcomeForm(QuestionForm):
    outcome_sought = _text(
        3000,
        "What would you like to happen as a result of your complaint?",
        hint="For example, an apology, the post being removed, or training for the councillor.",
        required_message="Enter what you would like to happen",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    previous_complaint = forms.ChoiceField(
        label="Have you complained about this before?",
        choices=[("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you have complained about this before"},
    )
    previous_complaint_details = _text(
        2000,
        "If yes, who did you complain to, and when?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confidentiality_requested = forms.ChoiceField(
        label="Do you want us to keep your identity confidential?",
        help_text=(
            "We normally share your name and the substance of your complaint with the councillor, so that they can "
            "respond fairly. We only withhold it in exceptional circumstances, for example if you have reasonable "
            "grounds to fear harm, or for your job."
        ),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you want us to keep your identity confidential"},
    )
    confidentiality_reason = _text(
        3000,
        "If yes, why should your identity be kept confidential?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    layout = (
        Field.textarea("outcome_sought", rows=5),
        Fieldset(
            Field.radios("previous_complaint", inline=True, legend_size=Size.SMALL),
            Field.textarea("previous_complaint_details", rows=3),
        ),
        Fieldset(
            Field.radios("confidentiality_requested", inline=True, legend_size=Size.SMALL),
            Field.textarea("confidentiality_reason", rows=4),
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("previous_complaint") == "yes" and not cleaned.get("previous_complaint_details"):
            self.add_error("previous_complaint_details", "Tell us who you complained to, and when")
        if cleaned.get("confidentiality_requested") == "yes" and not cleaned.get("confidentiality_reason"):
            self.add_error("confidentiality_reason", "Tell us why your identity should be kept confidential")
        if cleaned.get("confidentiality_requested") == "no":
            cleaned["confidentiality_reason"] = ""
        return cleaned


class DeclarationForm(QuestionForm):
    declaration = forms.BooleanField(
        label="I confirm that the information in this complaint is true to the best of my knowledge",
        error_messages={"required": "Confirm that the information is true to the best of your knowledge"},
    )
    # A honeypot: hidden from people (display:none), filled in by form-filling robots.
    website = forms.CharField(required=False, max_length=200, label="Leave this field empty")
    layout = (Field.checkbox("declaration"),)
