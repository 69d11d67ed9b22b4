"""The questions of the public complaint form, one form per page (GOV.UK question pages).

Every message a complainant can see on the journey is written here, once: in a field's
``error_messages`` or in a form's ``MESSAGES`` (for files the evidence service refuses, the
service gives a reason code and ``EvidenceUploadForm.MESSAGES`` has the words). Messages follow
the GOV.UK Design System's error message guidance: each names its own answer in plain words and
never echoes what was sent.
"""

import re
from datetime import date

from crispy_forms.layout import LayoutObject
from crispy_forms.utils import TEMPLATE_PACK, render_field
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.template.loader import render_to_string
from django.utils import timezone

from complaints.forms.escaping import escaped_choices
from complaints.models import CapacityIndicator, ComplainantType, Platform

_PHONE = re.compile(r"^[0-9+() \-]{7,40}$")
# Characters that reorder the text around them, so 'Jane <U+202E>exe.live Smith' reads as
# 'Jane Smith.exe' (U+202A-U+202E embeddings and overrides, U+2066-U+2069 isolates).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# C0 and C1 control characters, except the tab and line breaks a text area may hold.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINE_BREAKS = re.compile("[\r\n\x0b\x0c\x85\u2028\u2029]")
YES_NO = [("yes", "Yes"), ("no", "No")]
NOT_SURE = "not_sure"


def _limit(number: int) -> str:
    return f"{number:,}"


class TextField(forms.CharField):
    """A text answer whose every message names the answer (``noun``), not the label.

    Refuses characters that reverse the direction of text and control characters with a message
    that says so, and, when ``single_line``, line breaks. The browser is not told the limit
    (no ``maxlength``), so a long paste is never cut short without the complainant knowing.
    """

    def __init__(
        self,
        *,
        label: str,
        noun: str,
        max_length: int,
        required: bool = True,
        required_message: str = "",
        hint: str = "",
        single_line: bool = False,
        widget=None,
    ):
        messages = {
            "max_length": f"{noun} must be {_limit(max_length)} characters or fewer",
            **_hidden_character_messages(noun),
        }
        if required:
            messages["required"] = required_message or f"Enter {noun[0].lower()}{noun[1:]}"
        super().__init__(label=label, max_length=max_length, required=required, help_text=hint, widget=widget)
        self.error_messages.update(messages)
        self.single_line = single_line
        # The character checks below give a plainer message for the null character.
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def clean(self, value):
        refuse_hidden_characters(value, self.error_messages, single_line=self.single_line)
        return super().clean(value)


def refuse_hidden_characters(value, messages: dict, *, single_line: bool = True) -> None:
    """Raise with the field's own message for direction-changing characters, line breaks (in a
    one-line answer) and control characters, before any check of the answer's format."""
    text = value if isinstance(value, str) else ""
    if BIDI_CONTROLS.search(text):
        raise forms.ValidationError(messages["bidi"], code="bidi")
    if single_line and LINE_BREAKS.search(text.strip()):
        raise forms.ValidationError(messages["line_break"], code="line_break")
    if CONTROL_CHARACTERS.search(text):
        raise forms.ValidationError(messages["control"], code="control")


def _hidden_character_messages(noun: str) -> dict:
    return {
        "bidi": f"{noun} must not include characters that change the direction of text",
        "control": f"{noun} must not include hidden control characters",
        "line_break": f"{noun} must be on one line",
    }


class EmailAddressField(forms.EmailField):
    """An email address; hidden characters get the same plain messages as every text answer."""

    def __init__(self, *, noun: str, **kwargs):
        super().__init__(**kwargs)
        self.error_messages.update(_hidden_character_messages(noun))
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def clean(self, value):
        refuse_hidden_characters(value, self.error_messages)
        return super().clean(value)


class LinkField(forms.URLField):
    """A web address; Django's URL check lets direction-changing characters through in the path."""

    def __init__(self, *, noun: str, **kwargs):
        super().__init__(**kwargs)
        self.error_messages.update(_hidden_character_messages(noun))
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def clean(self, value):
        refuse_hidden_characters(value, self.error_messages)
        return super().clean(value)


def choice_messages(message: str) -> dict:
    """The same words when nothing is chosen and when the choice sent is not one we offered."""
    return {"required": message, "invalid_choice": message, "invalid_list": message}


# --- dates --------------------------------------------------------------------------------------

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
DAY, MONTH, YEAR = "day", "month", "year"
PARTS = (DAY, MONTH, YEAR)


class DateWidget(DateInputWidget):
    """GOV.UK date input that outlines in red only the boxes with the problem."""

    template_name = "gds/widgets/app_date.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_parts: tuple[str, ...] = ()
        for widget, part in zip(self.widgets, PARTS, strict=True):
            widget.attrs["autocomplete"] = "off"
            if part != MONTH:  # month names are welcome, so the month box keeps a full keyboard
                widget.attrs["inputmode"] = "numeric"
            else:  # and is wide enough to show a short month name ('Sept.', 'March')
                widget.attrs["class"] = widget.attrs["class"].replace("govuk-input--width-2", "govuk-input--width-5")

    @property
    def first_error_index(self) -> int:
        return min((PARTS.index(part) for part in self.error_parts), default=0)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.error_parts:  # crispy-forms-gds outlines every box of a date with an error
            for subwidget, part in zip(context["widget"]["subwidgets"], PARTS, strict=True):
                classes = [c for c in subwidget["attrs"]["class"].split() if c != "govuk-input--error"]
                if part in self.error_parts:
                    classes.append("govuk-input--error")
                subwidget["attrs"]["class"] = " ".join(classes)
        return context


class DateField(forms.MultiValueField):
    """Day, month and year boxes read the GOV.UK way: each missing or wrong part is named,
    month names ('Oct', 'October') are understood and a two-digit year means 20xx."""

    widget = DateWidget

    def __init__(self, *, label: str, noun: str, hint: str = ""):
        parts = tuple(forms.CharField(required=False) for _ in PARTS)
        super().__init__(fields=parts, label=label, help_text=hint, require_all_fields=False, required=True)
        self.noun = noun
        self.messages = {
            "required": f"Enter {noun[0].lower()}{noun[1:]}",
            "real": f"{noun} must be a real date",
            "year_digits": f"{noun} must include a year with 4 numbers, like 2026",
            "future": f"{noun} must be today or in the past",
            "too_early": f"{noun} must be in 2000 or later",
        }

    def _refuse(self, message: str, parts=PARTS):
        self.widget.error_parts = tuple(parts)
        raise forms.ValidationError(message, code="invalid")

    def clean(self, value):
        self.widget.error_parts = ()
        raw = [str(v or "").strip() for v in (list(value or []) + ["", "", ""])[:3]]
        for text in raw:
            if BIDI_CONTROLS.search(text) or CONTROL_CHARACTERS.search(text) or len(text) > 20:
                self._refuse(self.messages["real"])
        missing = [part for part, text in zip(PARTS, raw, strict=True) if not text]
        if len(missing) == 3:
            self._refuse(self.messages["required"])
        if missing:
            self._refuse(f"{self.noun} must include a {' and '.join(missing)}", missing)
        day_text, month_text, year_text = raw
        month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text.lower().rstrip("."))
        if not day_text.isdigit() or month is None:
            self._refuse(self.messages["real"], [p for p, ok in ((DAY, day_text.isdigit()), (MONTH, month)) if not ok])
        if not year_text.isdigit():
            self._refuse(self.messages["real"], [YEAR])
        if len(year_text) == 2:
            year = 2000 + int(year_text)
        elif len(year_text) == 4:
            year = int(year_text)
        else:
            self._refuse(self.messages["year_digits"], [YEAR])
        try:
            when = date(year, month, int(day_text))
        except ValueError:
            self._refuse(self.messages["real"])
        if when > timezone.localdate():
            self._refuse(self.messages["future"])
        if when.year < 2000:
            self._refuse(self.messages["too_early"], [YEAR])
        return when

    def compress(self, data_list):  # clean() above does the work; MultiValueField requires this
        return None


# --- rendering ----------------------------------------------------------------------------------


class Choices(LayoutObject):
    """GOV.UK radios or checkboxes with conditional reveals, hints, an 'or' divider and an
    exclusive answer ('I'm not sure'), which crispy-forms-gds does not offer for checkboxes.

    ``reveal`` maps a choice's value to the fields shown under it; without JavaScript they are
    all shown, each labelled so that it still makes sense.
    """

    template = "gds/layout/app_choices.html"

    def __init__(
        self,
        field: str,
        *,
        reveal: dict | None = None,
        hints: dict | None = None,
        exclusive: str = "",
        legend_size: str = Size.SMALL,
        small: bool = False,
        inline: bool = False,
    ):
        self.field = field
        self.fields = [field]
        self.reveal = reveal or {}
        self.hints = hints or {}
        self.exclusive = exclusive
        self.legend_size = legend_size
        self.small = small
        self.inline = inline

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        bound = form[self.field]
        checkboxes = isinstance(bound.field.widget, forms.CheckboxSelectMultiple)
        value = bound.value()
        chosen = {str(v) for v in (value or [])} if checkboxes else {str(value)}
        items = []
        choices = [(str(v), label) for v, label in bound.field.choices]
        for position, (choice_value, label) in enumerate(choices, start=1):
            revealed = "".join(
                render_field(name, form, context, template_pack=template_pack)
                for name in self.reveal.get(choice_value, ())
            )
            items.append(
                {
                    "id": f"{bound.auto_id}_{position}",
                    "value": choice_value,
                    "label": label,
                    "hint": self.hints.get(choice_value, getattr(bound.field, "choice_hints", {}).get(choice_value)),
                    "checked": choice_value in chosen,
                    "exclusive": choice_value == self.exclusive,
                    "revealed": revealed,
                }
            )
        return render_to_string(
            self.template,
            {
                "field": bound,
                "kind": "checkboxes" if checkboxes else "radios",
                "items": items,
                "legend_size": Size.for_legend(self.legend_size),
                "small": self.small,
                "inline": self.inline and not any(item["revealed"] for item in items),
            },
        )


class QuestionForm(forms.Form):
    """Base for question pages: GOV.UK rendering, no <form> tag (the page template owns it),
    and at most one message per answer (Django can find two, e.g. too long and malformed)."""

    layout: tuple = ()
    MESSAGES: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        if self.layout:
            self.helper.layout = Layout(*self.layout)
        for field in self.fields.values():
            # The browser is not told the limits, so a long paste is never cut short unseen:
            # the answer comes back with a message saying how long it may be.
            field.widget.attrs.pop("maxlength", None)

    def full_clean(self):
        super().full_clean()
        for errors in (self._errors or {}).values():
            del errors[1:]

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                cleaned[name] = value.strip()
        return cleaned

    def refuse(self, field: str | None, key: str, **values) -> None:
        """Add one of this form's MESSAGES to a field (or to the form, with None)."""
        self.add_error(field, self.MESSAGES[key].format(**values))


def _textarea(rows: int):
    return forms.Textarea(attrs={"rows": rows})


# --- the pages ----------------------------------------------------------------------------------


class AboutYouForm(QuestionForm):
    name = TextField(
        label="Full name",
        noun="Full name",
        max_length=200,
        required_message="Enter your full name",
        single_line=True,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    email = EmailAddressField(
        noun="Email address",
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
    phone = TextField(
        label="Phone number (optional)",
        noun="Phone number",
        max_length=40,
        required=False,
        single_line=True,
        hint="For example, 01632 960 001 or 07700 900 982",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    address = TextField(
        label="Postal address (optional)",
        noun="Postal address",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "street-address"}),
    )
    complainant_type = forms.ChoiceField(
        label="Which of these describes you?",
        choices=ComplainantType.choices,
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select which of these describes you"),
    )
    complainant_type_other = TextField(
        label="How would you describe yourself?",
        noun="How you would describe yourself",
        max_length=100,
        required=False,
        single_line=True,
    )

    MESSAGES = {
        "phone": "Enter a phone number, like 01632 960 001 or 07700 900 982",
        "type_other": "Tell us how you would describe yourself",
    }
    layout = (
        Field.text("name", field_width=20),
        Field.text("email", field_width=20),
        Field.text("phone", field_width=20),
        Field.textarea("address", rows=4),
        Choices("complainant_type", reveal={ComplainantType.OTHER.value: [Field.text("complainant_type_other")]}),
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not _PHONE.match(phone):
            raise forms.ValidationError(self.MESSAGES["phone"])
        return phone

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("complainant_type") == ComplainantType.OTHER:
            if not cleaned.get("complainant_type_other") and "complainant_type_other" not in self.errors:
                self.refuse("complainant_type_other", "type_other")
        else:
            cleaned["complainant_type_other"] = ""
            self.errors.pop("complainant_type_other", None)
        return cleaned


class CouncilForm(QuestionForm):
    """Radios when there are only a few councils; a list to search and select from otherwise."""

    RADIOS_BELOW = 10
    authority = forms.ChoiceField(
        label="Which council is the councillor a member of?",
        help_text="Complaints about parish and town councillors in the area also come to our Monitoring Officer.",
        error_messages=choice_messages("Select the council the councillor is a member of"),
    )

    def __init__(self, *args, choices=(), radios: bool = False, hints: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["authority"]
        if radios:
            field.widget = forms.RadioSelect()
            field.choices = escaped_choices(item for _group, items in choices for item in items)
            self.helper.layout = Layout(Choices("authority", hints=hints or {}))
        else:
            field.choices = [("", "Select a council")] + escaped_choices(choices)
            self.helper.layout = Layout(Field.select("authority"))


_NO_COUNCILLOR = "Select the councillor, or enter their name if they are not listed"


class CouncillorsForm(QuestionForm):
    councillors = forms.MultipleChoiceField(
        label="Which councillor or councillors is your complaint about?",
        help_text="Select all that apply.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=choice_messages(_NO_COUNCILLOR),
    )
    unlisted = TextField(
        label="If the councillor is not listed, enter their name",
        noun="The councillor's name",
        max_length=500,
        required=False,
        single_line=True,
        hint="We will find them on the council's register.",
    )

    MESSAGES = {"none": _NO_COUNCILLOR}

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["councillors"].choices = escaped_choices(choices)
        self.helper.layout = Layout(
            Choices("councillors", small=True),
            Field.text("unlisted", field_width=30),
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("councillors") and not cleaned.get("unlisted") and not self.errors:
            self.refuse("councillors", "none")
        return cleaned


TEXT_REPORTED_MAX = 10_000


class PostForm(QuestionForm):
    platform = forms.ChoiceField(
        label="Where was it posted?",
        choices=Platform.choices,
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select where it was posted"),
    )
    platform_other = TextField(
        label="Name of the website or app",
        noun="The name of the website or app",
        max_length=100,
        required=False,
        single_line=True,
    )
    url = LinkField(
        noun="The link",
        label="Link to the post (optional)",
        max_length=2000,
        required=False,
        assume_scheme="https",
        # A text input typed as url: crispy-forms-gds gives GOV.UK styling to text inputs only.
        widget=forms.TextInput(attrs={"type": "url", "spellcheck": "false"}),
        help_text="Copy the address from your browser or the post's share button, if you have it.",
        error_messages={
            "invalid": "Enter the link in the correct format, like https://www.facebook.com/...",
            "max_length": "The link must be 2,000 characters or fewer",
        },
    )
    account_name = TextField(
        label="Name of the account that posted it",
        noun="The name of the account",
        max_length=200,
        single_line=True,
        hint="As it appears on the post, for example Cllr Jo Bloggs or @jobloggs",
        required_message="Enter the name of the account that posted it",
    )
    posted_on = DateField(
        label="When was it posted?",
        noun="The date it was posted",
        hint="For example, 27 3 2026 or 27 Mar 2026. If you do not know the exact day, give your best estimate.",
    )
    text_reported = TextField(
        label="What did it say or show?",
        noun="What the post said",
        max_length=TEXT_REPORTED_MAX,
        hint="Copy the words exactly if you can, and describe any pictures.",
        required_message="Enter what the post said or showed",
        widget=_textarea(6),
    )
    capacity_indicators = forms.MultipleChoiceField(
        label="Why do you think the councillor was acting as a councillor?",
        help_text=(
            "The Code of Conduct applies when a councillor acts, or gives the impression of acting, as a councillor. "
            "Select all that apply."
        ),
        choices=CapacityIndicator.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages=choice_messages("Select why you think the councillor was acting as a councillor"),
    )
    capacity_other = TextField(
        label="What else made you think they were acting as a councillor?",
        noun="What else made you think so",
        max_length=1000,
        required=False,
        widget=_textarea(3),
    )
    capacity_explanation = TextField(
        label="Tell us more about why (optional)",
        noun="Your explanation",
        max_length=3000,
        required=False,
        widget=_textarea(4),
    )

    MESSAGES = {
        "platform_other": "Enter the name of the website or app",
        "capacity_other": "Tell us what else made you think they were acting as a councillor",
    }
    layout = (
        Choices("platform", reveal={Platform.OTHER.value: [Field.text("platform_other", field_width=20)]}),
        Field.text("url"),
        Field.text("account_name", field_width=20),
        Field("posted_on"),
        Field.textarea("text_reported", rows=8, max_characters=TEXT_REPORTED_MAX),
        Choices(
            "capacity_indicators",
            small=True,
            reveal={CapacityIndicator.OTHER.value: [Field.textarea("capacity_other", rows=3)]},
        ),
        Field.textarea("capacity_explanation", rows=4),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("platform") == Platform.OTHER:
            if not cleaned.get("platform_other") and "platform_other" not in self.errors:
                self.refuse("platform_other", "platform_other")
        else:
            cleaned["platform_other"] = ""
            self.errors.pop("platform_other", None)
        if CapacityIndicator.OTHER in (cleaned.get("capacity_indicators") or []):
            if not cleaned.get("capacity_other") and "capacity_other" not in self.errors:
                self.refuse("capacity_other", "capacity_other")
        else:
            cleaned["capacity_other"] = ""
            self.errors.pop("capacity_other", None)
        return cleaned


class AddAnotherPostForm(QuestionForm):
    """The list of posts. When a post is older than the time limit the page also asks why."""

    add_another = forms.ChoiceField(
        label="Do you want to add another post?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select yes if you want to add another post"),
    )
    late_reason = TextField(
        label="Why are you complaining about it now? (optional)",
        noun="Your reason",
        max_length=3000,
        required=False,
        hint="For example, you only saw the post recently, or it is part of behaviour that is still going on.",
        widget=_textarea(4),
    )

    def __init__(self, *args, late: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.late = late
        parts = [Choices("add_another", legend_size=Size.MEDIUM, inline=True)]
        if late:
            parts.insert(0, Field.textarea("late_reason", rows=4, label_size=Size.MEDIUM))
        else:
            del self.fields["late_reason"]
        self.helper.layout = Layout(*parts)


class ClausesForm(QuestionForm):
    """The parts of the code, or 'I'm not sure' (one or the other, with GOV.UK's 'or' divider)."""

    clauses = forms.MultipleChoiceField(
        label="Which parts of the Code of Conduct do you think were broken?",
        help_text="Select all that apply.",
        widget=forms.CheckboxSelectMultiple,
        error_messages=choice_messages(
            "Select the parts of the code you think were broken, or select \u2018I\u2019m not sure\u2019"
        ),
    )

    def __init__(self, *args, choices=(), hints: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clauses"].choices = escaped_choices(choices) + [(NOT_SURE, "I\u2019m not sure")]
        self.helper.layout = Layout(Choices("clauses", hints=hints or {}, exclusive=NOT_SURE))

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("clauses")
        if chosen is not None:
            if NOT_SURE in chosen and len(chosen) > 1:
                self.add_error("clauses", self.fields["clauses"].error_messages["required"])
            cleaned["not_sure"] = NOT_SURE in chosen
            cleaned["clauses"] = [c for c in chosen if c != NOT_SURE]
        return cleaned


class EvidenceFileField(forms.FileField):
    """Leaves every check of the file's content to the evidence service; the form says why it refused."""

    def to_python(self, data):
        return data or None


def _size_text(limit: int) -> str:
    """'10MB', '2.5MB' or, for small limits, '512KB'."""
    if limit < 1024 * 1024:
        return f"{limit // 1024}KB"
    return f"{round(limit / (1024 * 1024), 1):g}MB"


def _millions_text(limit: int) -> str:
    """'40', '0.01': a number of pixels in millions."""
    millions = limit / 1_000_000
    return f"{int(millions)}" if millions.is_integer() else f"{millions:g}"


UNNAMED_FILE = "The selected file"
ACCEPTED_FILES = "PNG, JPEG, WebP, GIF or HEIC image, or a PDF"
# How the figures of a refused upload are written, by the code the evidence service gives.
_UPLOAD_FIGURES = {"too_big": {"limit": _size_text}, "too_many_pixels": {"limit": _millions_text}}


class EvidenceUploadForm(QuestionForm):
    file = EvidenceFileField(
        label="Upload a file",
        required=False,
        error_messages={"invalid": "The selected file could not be read. Try uploading it again"},
    )
    no_evidence_reason = TextField(
        label="If you cannot send a screenshot, tell us why",
        noun="Your reason for not sending a screenshot",
        max_length=2000,
        required=False,
        hint="For example, the post was deleted before you could take one.",
        widget=_textarea(3),
    )
    MESSAGES = {
        "no_file": "Select a file to upload",
        "too_many": "You can send up to {limit} files. Remove one to add another",
        "nothing": "Upload a screenshot or PDF of the post, or tell us why you cannot",
        # Files the evidence service refuses, by the code it gives (EvidenceRejected.code). Each
        # names the file, so that among several uploads the complainant knows which one it was.
        "empty": "{name} is empty",
        "too_big": "{name} must be smaller than {limit}",
        "wrong_type": f"{{name}} must be a {ACCEPTED_FILES}",
        "too_many_pixels": "{name} has too many pixels. Images must be no bigger than {limit} million pixels",
        "damaged": "{name} could not be opened. It may be damaged or incomplete",
        "unsafe": "{name} could not be safely read. Save it again as a new file and upload that instead",
        "pdf_scripts": (
            "{name} could not be safely read because it contains scripts or actions. "
            "Take a screenshot of it and upload that instead"
        ),
        "encrypted": "{name} is password protected or encrypted. Remove the protection and upload it again",
        "failed": "{name} could not be uploaded. Try again, or upload a different file",
        "rate_limited": "You have uploaded a lot of files in a short time. Wait an hour, then try again",
        # Files too costly to check, refused by the evidence service with these codes.
        "image_too_costly": (
            "{name} is too large a picture for us to check. Save it as a JPEG, or upload a smaller screenshot"
        ),
        "too_many_frames": (
            "{name} is an animation with too many frames. Animations can have up to {limit} frames, "
            "or upload a screenshot instead"
        ),
        "too_slow": "{name} took too long to check. Upload a screenshot of the post instead",
        "pdf_too_complex": (
            "{name} is too complicated for us to check. Save it as a new PDF, or upload screenshots instead"
        ),
        "pdf_too_much_data": (
            "{name} holds more data than we can check. Save it as a new PDF, or upload screenshots instead"
        ),
    }
    layout = (Field("file"),)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = _size_text(settings.EVIDENCE_MAX_BYTES)
        self.fields["file"].help_text = f"A screenshot or photo (PNG, JPEG, WebP, GIF or HEIC) or a PDF, up to {limit}."

    def refuse_file(self, refusal) -> None:
        """Say why the evidence service refused the file, in this form's words for its code."""
        self.add_error("file", self.refusal_message(refusal))

    @classmethod
    def refusal_message(cls, refusal) -> str:
        figures = _UPLOAD_FIGURES.get(refusal.code, {})
        values = {key: figures[key](value) if key in figures else value for key, value in refusal.values.items()}
        values["name"] = values.get("name") or UNNAMED_FILE
        return cls.MESSAGES[refusal.code].format(**values)


class OutcomeForm(QuestionForm):
    outcome_sought = TextField(
        label="What would you like to happen as a result of your complaint?",
        noun="What you would like to happen",
        max_length=3000,
        hint="For example, an apology, the post being removed, or training for the councillor.",
        required_message="Enter what you would like to happen",
        widget=_textarea(5),
    )
    previous_complaint = forms.ChoiceField(
        label="Have you complained about this before?",
        choices=[("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure")],
        widget=forms.RadioSelect,
        error_messages=choice_messages("Select yes if you have complained about this before"),
    )
    previous_complaint_details = TextField(
        label="Who did you complain to, and when?",
        noun="Who you complained to and when",
        max_length=2000,
        required=False,
        widget=_textarea(3),
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
        error_messages=choice_messages("Select yes if you want us to keep your identity confidential"),
    )
    confidentiality_reason = TextField(
        label="Why should your identity be kept confidential?",
        noun="Your reason for confidentiality",
        max_length=3000,
        required=False,
        widget=_textarea(4),
    )

    MESSAGES = {
        "previous_details": "Tell us who you complained to, and when",
        "confidentiality_reason": "Tell us why your identity should be kept confidential",
    }
    layout = (
        Field.textarea("outcome_sought", rows=5),
        Choices("previous_complaint", reveal={"yes": [Field.textarea("previous_complaint_details", rows=3)]}),
        Choices("confidentiality_requested", reveal={"yes": [Field.textarea("confidentiality_reason", rows=4)]}),
    )

    def clean(self):
        cleaned = super().clean()
        for choice, detail, message in (
            ("previous_complaint", "previous_complaint_details", "previous_details"),
            ("confidentiality_requested", "confidentiality_reason", "confidentiality_reason"),
        ):
            if cleaned.get(choice) == "yes":
                if not cleaned.get(detail) and detail not in self.errors:
                    self.refuse(detail, message)
            else:
                cleaned[detail] = ""
                self.errors.pop(detail, None)
        return cleaned


class DeclarationForm(QuestionForm):
    declaration = forms.BooleanField(
        label="I confirm that the information in this complaint is true to the best of my knowledge",
        error_messages={"required": "Confirm that the information is true to the best of your knowledge"},
    )
    # A honeypot: hidden from people (display:none), filled in by form-filling robots.
    website = forms.CharField(required=False, max_length=200, label="Leave this field empty")
    MESSAGES = {"missing_file": "We could not find {name} any more. Upload it again, then send your complaint"}
    layout = (Field.checkbox("declaration"),)
