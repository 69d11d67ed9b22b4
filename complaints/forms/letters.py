"""Forms for the letters and takedown steps on a case."""

from __future__ import annotations

from datetime import date

from django import forms

from complaints.forms.escaping import escape
from complaints.models import SocialMediaPost


class TakedownCreateForm(forms.Form):
    posts = forms.ModelMultipleChoiceField(
        queryset=SocialMediaPost.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Which posts should the councillor remove?",
        error_messages={
            "required": "Select the posts the councillor should remove",
            "invalid_choice": "Select the posts the councillor should remove",
            "invalid_pk_value": "Select the posts the councillor should remove",
        },
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posts"].queryset = SocialMediaPost.objects.filter(case=case).order_by("posted_on", "pk")
        self.fields["posts"].label_from_instance = _post_label


def _post_label(post: SocialMediaPost) -> str:
    day = f"{post.posted_on:%-d %B %Y}" if post.posted_on else "date not known"
    return escape(f"{post.get_platform_display()}, {day}: {post.text_reported[:80]}")


class RemovedForm(forms.Form):
    """The date the post(s) were seen gone, as the GOV.UK date input asks for it.

    ``not_before`` is the day the request was sent and ``today`` the latest date allowed.
    ``error_parts`` names the inputs to mark as wrong (all three unless only some are missing).
    """

    # No max_length: an over-long part is "not a real date", said the GOV.UK way in clean().
    day = forms.CharField(required=False, strip=True)
    month = forms.CharField(required=False, strip=True)
    year = forms.CharField(required=False, strip=True)

    LABEL = "The date the post was seen gone"
    PARTS = ("day", "month", "year")

    def __init__(self, *args, today: date, not_before: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.not_before = not_before
        self.error_parts: tuple[str, ...] = ()

    def clean(self):
        data = super().clean()
        parts = {name: (data.get(name) or "").strip() for name in self.PARTS}
        missing = [name for name, value in parts.items() if not value]
        self.error_parts = self.PARTS
        if len(missing) == 3:
            raise forms.ValidationError(f"Enter {self.LABEL[0].lower()}{self.LABEL[1:]}")
        if missing:
            self.error_parts = tuple(missing)
            raise forms.ValidationError(f"{self.LABEL} must include a {' and '.join(missing)}")
        if (
            not all(value.isascii() and value.isdigit() for value in parts.values())
            or len(parts["day"]) > 2
            or len(parts["month"]) > 2
            or len(parts["year"]) != 4
        ):
            raise forms.ValidationError(f"{self.LABEL} must be a real date")
        try:
            seen = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            raise forms.ValidationError(f"{self.LABEL} must be a real date") from None
        if seen > self.today:
            raise forms.ValidationError(f"{self.LABEL} must be today or in the past")
        if self.not_before and seen < self.not_before:
            raise forms.ValidationError(
                f"{self.LABEL} must be the same as or after {self.not_before:%-d %B %Y}, when the request was sent"
            )
        self.error_parts = ()
        data["seen_gone_on"] = seen
        return data

    def first_error_part(self) -> str:
        return self.error_parts[0] if self.error_parts else "day"


class SendForm(forms.Form):
    """Who a letter is e-mailed to."""

    to = forms.EmailField(
        label="E-mail address",
        max_length=254,
        error_messages={
            "required": "Enter the e-mail address to send the letter to",
            "invalid": "Enter an e-mail address in the correct format, like name@example.com",
            "max_length": "The e-mail address must be 254 characters or fewer",
        },
    )
    name = forms.CharField(
        label="Name to address the e-mail to",
        max_length=200,
        required=False,
        error_messages={"max_length": "The name must be 200 characters or fewer"},
    )
