"""Forms for the letters and takedown steps on a case."""

from __future__ import annotations

from datetime import date

from django import forms

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
    return f"{post.get_platform_display()}, {day}: {post.text_reported[:80]}"


class RemovedForm(forms.Form):
    """The date the post(s) were seen gone, as the GOV.UK date input asks for it."""

    day = forms.CharField(max_length=2, required=False)
    month = forms.CharField(max_length=2, required=False)
    year = forms.CharField(max_length=4, required=False)

    LABEL = "The date the post was seen gone"

    def clean(self):
        data = super().clean()
        parts = {name: (data.get(name) or "").strip() for name in ("day", "month", "year")}
        missing = [name for name, value in parts.items() if not value]
        if len(missing) == 3:
            raise forms.ValidationError(f"Enter {self.LABEL[0].lower()}{self.LABEL[1:]}")
        if missing:
            raise forms.ValidationError(f"{self.LABEL} must include a {' and '.join(missing)}")
        if not all(value.isdigit() for value in parts.values()) or len(parts["year"]) != 4:
            raise forms.ValidationError(f"{self.LABEL} must be a real date")
        try:
            data["seen_gone_on"] = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            raise forms.ValidationError(f"{self.LABEL} must be a real date") from None
        return data
