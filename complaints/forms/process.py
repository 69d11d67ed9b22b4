"""Forms of the actions of the process on a case (registered in views/officer/actions*.py).

Each is a VersionedForm: it carries the case version it was prepared on, so a change made by
someone else in between is refused with everything typed kept (complaints/services/process.py).
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from django import forms

from complaints.forms.escaping import escape
from complaints.models import Case
from complaints.selectors.dashboard import UNASSIGNED, officer_choices


class VersionedForm(forms.Form):
    """Every action form carries the case version it was prepared on (see services/process.py)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, case: Case, user, **kwargs):
        self.case = case
        self.user = user
        initial = kwargs.pop("initial", None) or {}
        initial.setdefault("version", case.version)
        super().__init__(*args, initial=initial, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's form has its own token

    def full_clean(self):
        super().full_clean()
        # A hidden field's error would show nowhere: say it at the top of the form instead.
        if self._errors and "version" in self._errors:
            del self._errors["version"]
            self.cleaned_data.pop("version", None)
            self.add_error(None, "This form is out of date: open the action again from the case page")


def officer_label(user) -> str:
    return user.get_full_name().strip() or user.get_username()


class AssignForm(VersionedForm):
    officer = forms.ChoiceField(
        label="Who should handle the case?",
        error_messages={
            "required": "Select an officer to assign the case to",
            "invalid_choice": "Select an officer from the list",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        conflicted = set(self.case.conflicts.values_list("officer_id", flat=True))
        self._officers = {
            officer.get_username(): officer for officer in officer_choices(self.user) if officer.pk not in conflicted
        }
        self.fields["officer"].choices = [("", "Choose an officer"), (UNASSIGNED, "Nobody (unassign)")] + [
            (username, escape(officer_label(officer))) for username, officer in self._officers.items()
        ]
        if self.case.assigned_officer_id and not self.is_bound:
            self.initial.setdefault("officer", self.case.assigned_officer.get_username())

    def chosen_officer(self):
        value = self.cleaned_data["officer"]
        return None if value == UNASSIGNED else self._officers[value]
