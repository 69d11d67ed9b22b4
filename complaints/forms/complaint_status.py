"""The 'check your complaint' question: reference and e-mail address."""

from crispy_forms_gds.layout import Field
from django import forms

from complaints.forms.public import QuestionForm, TextField
from complaints.services.access_links import reference_normalise


class CheckYourComplaintForm(QuestionForm):
    reference = TextField(
        label="Your complaint reference",
        noun="Your complaint reference",
        max_length=30,
        hint="It is in the e-mail we sent when you made your complaint, for example MOC-2026-00042",
        single_line=True,
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The email address you gave when you made your complaint",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )

    layout = (Field.text("reference", field_width=20), Field.text("email", field_width=20))

    def clean_reference(self):
        reference = reference_normalise(self.cleaned_data["reference"])
        if not reference:
            raise forms.ValidationError("Enter your complaint reference")
        return reference
