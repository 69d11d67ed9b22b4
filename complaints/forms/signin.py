"""The officer sign-in forms: password, code, enrolment and re-authentication.

Messages follow the GOV.UK error message guidance and never say which of a username and password
was wrong, or whether an account exists.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.contrib.auth import authenticate

CODE_MAX_LENGTH = 32


class SignInBaseForm(forms.Form):
    """GOV.UK rendering without a <form> tag (the page owns it), one message per field."""

    field_width = 20

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)
        self._layout()

    def _layout(self):
        fields = []
        for name, field in self.fields.items():
            css = f"govuk-input--width-{self.field_width}"
            # crispy-forms-gds marks only text inputs as in error; a password input needs it too.
            if isinstance(field.widget, forms.PasswordInput) and (self._errors or {}).get(name):
                css += " govuk-input--error"
            fields.append(Field(name, css_class=css))
        self.helper.layout = Layout(*fields)

    def full_clean(self):
        super().full_clean()
        for errors in (self._errors or {}).values():
            del errors[1:]
        self._layout()

    def add_error(self, field, error):
        super().add_error(field, error)
        self._layout()


def _code_field(*, label: str, hint: str, required: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=CODE_MAX_LENGTH,
        error_messages={"required": required, "max_length": "The code must be 32 characters or fewer"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )


class PasswordSignInForm(SignInBaseForm):
    username = forms.CharField(
        label="Username",
        max_length=150,
        error_messages={"required": "Enter your username", "max_length": "Username must be 150 characters or fewer"},
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        max_length=4096,
        error_messages={"required": "Enter your password", "max_length": "Password must be 4,096 characters or fewer"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    WRONG = "Enter a correct username and password"

    def __init__(self, *args, request, **kwargs):
        self.request = request
        self.user = None
        self.refused = False  # a username and password were given and not accepted
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        username, password = cleaned.get("username"), cleaned.get("password")
        if username and password:
            # authenticate() with the request: the lockout backend counts the failure.
            self.user = authenticate(self.request, username=username, password=password)
            if self.user is None:
                self.refused = True
                self.add_error("password", self.WRONG)
        return cleaned


class CodeForm(SignInBaseForm):
    field_width = 10
    code = _code_field(
        label="Code",
        hint="The 6-digit code from your authenticator app, or one of your backup codes.",
        required="Enter the code from your authenticator app or a backup code",
    )


class EnrolForm(SignInBaseForm):
    field_width = 10
    code = _code_field(
        label="Code from your authenticator app",
        hint="The 6-digit code the app shows for this service.",
        required="Enter the 6-digit code from your authenticator app",
    )


class ReauthenticateForm(SignInBaseForm):
    secret = forms.CharField(
        label="Password, or a code from your authenticator app",
        strip=False,
        max_length=4096,
        error_messages={
            "required": "Enter your password or a code from your authenticator app",
            "max_length": "Password must be 4,096 characters or fewer",
        },
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
