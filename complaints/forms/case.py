"""The case page's timeline filter (GET, so a filtered timeline can be bookmarked)."""

from __future__ import annotations

from django import forms

from complaints.models import EventKind


class TimelineFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "Every kind of event"), *EventKind.choices],
        error_messages={"invalid_choice": "Choose a kind of event from the list"},
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=1_000_000,
        error_messages={
            "invalid": "The timeline page must be a whole number, like 2",
            "min_value": "The timeline page must be 1 or more",
            "max_value": "There is no such page of the timeline",
        },
    )


class ClockPauseForm(forms.Form):
    """Why a clock stops for now: waiting for the complainant, for a police decision, ..."""

    reason = forms.CharField(
        label="Why is the clock paused?",
        help_text="For example, waiting for the complainant's reply or for a police decision.",
        max_length=200,
        error_messages={
            "required": "Enter why the clock is paused",
            "max_length": "Why the clock is paused must be 200 characters or fewer",
        },
    )
