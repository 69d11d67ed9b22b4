"""The Django admin: for the MO's system administrator, not the day-to-day officer workspace.

History (events), evidence originals, generated documents and reference counters are shown but
cannot be rewritten here: the admin must not become a way round the append-only and
evidential rules the rest of the product keeps.
"""

import logging

from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html

from complaints.models import (
    Assessment,
    Authority,
    Case,
    Complaint,
    Councillor,
    Deadline,
    Decision,
    Document,
    Event,
    EventKind,
    Evidence,
    OutboxMessage,
    OutboxStatus,
    ReferenceCounter,
    SocialMediaAccount,
    SocialMediaPost,
    Stage,
    TakedownRequest,
)
from complaints.models.events import json_normalise
from complaints.services.cases import case_link
from complaints.services.posts import url_normalise

# Links typed without a scheme are read as https (and Django 6's default, without the warning).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}

logger = logging.getLogger(__name__)


def _actor_label(user) -> str:
    return f"{user.get_full_name() or user.get_username()} (admin)"


def _record(*, case, kind, description, user, details=None):
    # Imported late: the events service is loaded after the admin registry in some test set-ups.
    from complaints.services.events import event_record

    event_record(
        case=case, kind=kind, description=description, actor=user, actor_label=_actor_label(user), details=details or {}
    )


# Case history of admin edits ----------------------------------------------------------------


def _value(obj, field):
    """A field's value as it goes into an event's details: plain JSON, related rows by their name."""
    if field.many_to_many:
        if obj.pk is None:
            return []
        return sorted(str(related) for related in getattr(obj, field.name).all())
    if field.is_relation:
        related = getattr(obj, field.name)
        return None if related is None else str(related)
    value = field.value_from_object(obj)
    if isinstance(value, FieldFile):
        return value.name or ""
    return json_normalise({"v": value})["v"]


def _snapshot(obj) -> dict:
    fields = [f for f in obj._meta.concrete_fields if not f.primary_key] + list(obj._meta.many_to_many)
    return {field.name: _value(obj, field) for field in fields}


def _fresh(obj):
    """The row as stored, whatever the form has done to the instance in memory."""
    return type(obj)._base_manager.get(pk=obj.pk)


def _changes(before: dict, after: dict) -> dict:
    return {name: {"old": before.get(name), "new": value} for name, value in after.items() if before.get(name) != value}


def record_admin_change(*, request, obj, before: dict | None, kind=None, description=None):
    """Write the field-level difference an admin edit made to a case's record into the case's history.

    `before` is the stored state before the edit (None for a record added in the admin). Nothing
    is written when nothing changed.
    """
    after = _snapshot(_fresh(obj))
    changes = _changes(before or {}, after)
    if not changes:
        return
    label = obj._meta.verbose_name
    action = "added" if before is None else "changed"
    names = ", ".join(sorted(changes))
    details = {
        "via": "admin",
        "model": obj._meta.label_lower,
        "object": str(getattr(obj, "public_id", obj.pk)),
        "action": action,
        "changes": changes,
    }
    cases = {getattr(obj, "case", None) if not isinstance(obj, Case) else obj}
    if "case" in changes and before is not None and not isinstance(obj, Case):
        # A record moved between cases is written into the history of both.
        cases.add(Case.objects.filter(reference=before["case"]).first())
    cases.discard(None)
    if not cases:
        logger.warning("Admin change to %s %s has no case to record it on", obj._meta.label_lower, obj.pk)
        return
    for case in cases:
        _record(
            case=case,
            kind=kind or EventKind.CASE_UPDATED,
            description=description or f"{label.capitalize()} {action} in the admin ({names})",
            user=request.user,
            details=details,
        )


class CaseHistoryAdmin(admin.ModelAdmin):
    """Admin for a case's records: every change is written into the case's history with the old and
    new values, and nothing is deleted here (closing, withdrawal and retention are the ways out)."""

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change and obj.pk is not None:
            obj._history_before = _snapshot(_fresh(obj))
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        self.record_change(request, obj, getattr(obj, "_history_before", None) if change else None)

    def record_change(self, request, obj, before):
        record_admin_change(request=request, obj=obj, before=before)

    def save_formset(self, request, form, formset, change):
        # Inline rows (a complaint's posts) are case records too: their edits are recorded the same way.
        before = {f.instance.pk: _snapshot(_fresh(f.instance)) for f in formset.initial_forms if f.instance.pk}
        self.save_inline_rows(request, form, formset, change)
        for inline_form in formset.forms:
            instance = inline_form.instance
            if instance.pk is None or not (inline_form.has_changed() or instance.pk not in before):
                continue
            record_admin_change(request=request, obj=instance, before=before.get(instance.pk))

    def save_inline_rows(self, request, form, formset, change):
        formset.save()


class ReadOnlyInline(admin.TabularInline):
    """An inline that lists related rows without letting them be added, changed or removed here."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Councils and councillors -------------------------------------------------------------------


class CouncillorInline(admin.TabularInline):
    model = Councillor
    fields = ("name", "ward", "party", "email", "term_start", "term_end")
    extra = 0
    show_change_link = True


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ("name", "kind", "parent", "nation", "clerk_name")
    list_filter = ("kind", "nation", ("parent", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("parent",)
    search_fields = ("name", "slug", "clerk_name", "clerk_email")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    readonly_fields = ("public_id",)
    fields = ("name", "slug", "kind", "nation", "parent", "clerk_name", "clerk_email", "website", "public_id")
    inlines = (CouncillorInline,)


class SocialMediaAccountInline(admin.TabularInline):
    formfield_overrides = URL_FIELDS
    model = SocialMediaAccount
    fields = ("platform", "handle", "url", "presents_as_councillor")
    extra = 0


@admin.register(Councillor)
class CouncillorAdmin(admin.ModelAdmin):
    list_display = ("name", "authority", "ward", "party", "term_start", "term_end")
    list_filter = (("authority", admin.RelatedOnlyFieldListFilter), "party", "term_end")
    list_select_related = ("authority",)
    search_fields = ("name", "ward", "party", "email", "accounts__handle")
    autocomplete_fields = ("authority",)
    readonly_fields = ("public_id",)
    inlines = (SocialMediaAccountInline,)


# Cases and complaints -----------------------------------------------------------------------


class CaseComplaintInline(ReadOnlyInline):
    model = Complaint
    fields = ("reference", "complainant_name", "complainant_type", "submitted_at")
    readonly_fields = fields
    ordering = ("submitted_at",)


class CaseDeadlineInline(ReadOnlyInline):
    model = Deadline
    fields = ("kind", "starts_on", "working_days", "due_on", "paused_at", "met_at", "computation")
    readonly_fields = fields


class CaseEventInline(ReadOnlyInline):
    model = Event
    fields = ("created_at", "kind", "actor_label", "description")
    readonly_fields = fields
    show_change_link = False
    ordering = ("created_at", "id")


@admin.register(Case)
class CaseAdmin(CaseHistoryAdmin):
    list_display = ("reference", "title", "authority", "stage", "outcome", "assigned_officer", "opened_at")
    list_filter = ("stage", "outcome", ("authority", admin.RelatedOnlyFieldListFilter), "opened_at")
    list_select_related = ("authority", "assigned_officer")
    search_fields = ("reference", "title", "complaints__reference")
    date_hierarchy = "opened_at"
    autocomplete_fields = ("authority", "assigned_officer")
    readonly_fields = ("reference", "public_id", "opened_at")
    fields = (
        "reference",
        "title",
        "authority",
        "stage",
        "outcome",
        "assigned_officer",
        "opened_at",
        "closed_at",
        "public_id",
    )
    inlines = (CaseComplaintInline, CaseDeadlineInline, CaseEventInline)

    def has_add_permission(self, request):
        # A case is opened by a complaint (complaint_submit), never on its own.
        return False

    def save_model(self, request, obj, form, change):
        if obj.stage == Stage.CLOSED and obj.closed_at is None:
            obj.closed_at = timezone.now()
        super().save_model(request, obj, form, change)

    def record_change(self, request, obj, before):
        stage_changed = before is not None and before["stage"] != obj.stage
        record_admin_change(
            request=request,
            obj=obj,
            before=before,
            kind=EventKind.STAGE_CHANGED if stage_changed else None,
            description=f"Stage changed to {obj.get_stage_display()} in the admin" if stage_changed else None,
        )


class PostInline(admin.StackedInline):
    formfield_overrides = URL_FIELDS
    model = SocialMediaPost
    fields = (
        ("platform", "platform_other"),
        "account_name",
        "url",
        "posted_on",
        "text_reported",
        "capacity_indicators",
        "capacity_explanation",
        ("still_visible", "visibility_checked_at", "removal_confirmed_at"),
        "position",
    )
    extra = 0
    can_delete = False


@admin.register(Complaint)
class ComplaintAdmin(CaseHistoryAdmin):
    list_display = ("reference", "case", "authority", "complainant_name", "complainant_type", "submitted_at")
    list_filter = (
        ("authority", admin.RelatedOnlyFieldListFilter),
        "complainant_type",
        "confidentiality_requested",
        "case__stage",
        "submitted_at",
    )
    list_select_related = ("case", "authority")
    search_fields = ("reference", "complainant_name", "complainant_email", "case__reference")
    date_hierarchy = "submitted_at"
    autocomplete_fields = ("case", "authority", "councillors", "code", "clauses")
    readonly_fields = ("reference", "public_id", "submitted_at", "submitted_from_ip", "declaration_confirmed")
    inlines = (PostInline,)

    def has_add_permission(self, request):
        # Complaints arrive through complaint_submit (the public form), which also opens the case.
        return False

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            new_case = obj.case
            if change and "case" in form.changed_data:
                # Linking goes through the service so posts, evidence and history follow the complaint.
                obj.case_id = Complaint.objects.values_list("case", flat=True).get(pk=obj.pk)
                case_link(complaint=obj, into=new_case, actor=request.user)
            # The state before this edit is read after the move: case_link has recorded the move itself.
            super().save_model(request, obj, form, change)

    def save_inline_rows(self, request, form, formset, change):
        # New posts belong to the complaint's case, and their URL is normalised for matching.
        for post in formset.save(commit=False):
            post.case_id = form.instance.case_id
            post.normalised_url = url_normalise(post.url)
            post.save()
        formset.save_m2m()


@admin.register(SocialMediaPost)
class SocialMediaPostAdmin(CaseHistoryAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ("__str__", "platform", "complaint", "case", "posted_on", "still_visible", "removal_confirmed_at")
    list_filter = ("platform", "still_visible", "posted_on")
    list_select_related = ("complaint", "case")
    search_fields = (
        "account_name",
        "url",
        "normalised_url",
        "text_reported",
        "complaint__reference",
        "case__reference",
    )
    readonly_fields = ("public_id", "complaint", "case", "normalised_url")

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        obj.normalised_url = url_normalise(obj.url)
        super().save_model(request, obj, form, change)


# Evidence -----------------------------------------------------------------------------------


def evidence_original_url(evidence: Evidence) -> str:
    """The permission-checked view of the original, never a storage URL."""
    try:
        return reverse("evidence:original", kwargs={"public_id": evidence.public_id})
    except NoReverseMatch:
        return f"/evidence/{evidence.public_id}/original/"


@admin.register(Evidence)
class EvidenceAdmin(CaseHistoryAdmin):
    list_display = (
        "original_name",
        "case",
        "complaint",
        "source",
        "content_type",
        "size",
        "dimensions",
        "uploaded_at",
        "original_link",
    )
    list_filter = ("source", "content_type", "uploaded_at", ("case__authority", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("case", "complaint")
    search_fields = ("original_name", "sha256", "perceptual_hash", "case__reference", "complaint__reference")
    date_hierarchy = "uploaded_at"
    # The file fields are left out of the form: the original can be viewed, never replaced here.
    fields = (
        "original_link",
        "original_name",
        "case",
        "complaint",
        "post",
        "source",
        "sha256",
        "size",
        "content_type",
        "dimensions",
        "perceptual_hash",
        "uploaded_at",
        "uploaded_by",
        "description",
        "public_id",
    )
    readonly_fields = tuple(f for f in fields if f != "description")

    def has_add_permission(self, request):
        return False

    @admin.display(description="Dimensions")
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height}" if obj.width and obj.height else "-"

    @admin.display(description="Original file")
    def original_link(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        return format_html('<a href="{}">View the original (logged)</a>', evidence_original_url(obj))


# History ------------------------------------------------------------------------------------


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "case", "kind", "actor_label", "description")
    list_filter = ("kind", "created_at")
    list_select_related = ("case",)
    search_fields = ("description", "actor_label", "case__reference")
    date_hierarchy = "created_at"
    fields = (
        "case",
        "sequence",
        "kind",
        "actor",
        "actor_label",
        "description",
        "details",
        "created_at",
        "previous_hash",
        "entry_hash",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Clocks, assessments, decisions, takedowns --------------------------------------------------


@admin.register(Deadline)
class DeadlineAdmin(CaseHistoryAdmin):
    list_display = ("case", "kind", "starts_on", "working_days", "due_on", "paused_at", "met_at")
    list_filter = ("kind", ("met_at", admin.EmptyFieldListFilter), "due_on")
    list_select_related = ("case",)
    search_fields = ("case__reference",)
    date_hierarchy = "due_on"
    autocomplete_fields = ("case",)

    def get_readonly_fields(self, request, obj=None):
        # Due dates are stored, not recomputed: once set, how they were computed stays as written.
        if obj is None:
            return ("due_on", "computation", "created_at")
        return ("case", "kind", "starts_on", "working_days", "due_on", "computation", "created_at")

    def save_model(self, request, obj, form, change):
        if not change:
            from complaints.services.working_days import add_working_days

            due = add_working_days(obj.starts_on, obj.working_days, nation=obj.case.authority.principal.nation)
            obj.due_on = due.due_on
            obj.computation = due.explanation
        super().save_model(request, obj, form, change)

    def record_change(self, request, obj, before):
        if before is None:
            record_admin_change(
                request=request,
                obj=obj,
                before=None,
                kind=EventKind.DEADLINE_SET,
                description=f"{obj.get_kind_display()} due {obj.due_on:%-d %B %Y} (set in the admin)",
            )
        else:
            record_admin_change(request=request, obj=obj, before=before)


@admin.register(Assessment)
class AssessmentAdmin(CaseHistoryAdmin):
    list_display = ("case", "recommendation", "assessed_by", "independent_person", "ip_consulted_at", "completed_at")
    list_filter = ("recommendation", ("completed_at", admin.EmptyFieldListFilter), "was_councillor_at_time")
    list_select_related = ("case", "assessed_by", "independent_person")
    search_fields = ("case__reference", "capacity_view", "public_interest_view")
    autocomplete_fields = ("case", "independent_person", "assessed_by")


@admin.register(Decision)
class DecisionAdmin(CaseHistoryAdmin):
    list_display = ("case", "outcome", "decided_by", "decided_on", "notice_published", "notice_published_at")
    list_filter = ("outcome", "notice_published", "decided_on")
    list_select_related = ("case", "decided_by")
    search_fields = ("case__reference", "reasons", "sanctions")
    date_hierarchy = "decided_on"
    autocomplete_fields = ("case", "decided_by", "clauses_engaged", "clauses_breached")
    readonly_fields = ("public_id",)


@admin.register(TakedownRequest)
class TakedownRequestAdmin(CaseHistoryAdmin):
    list_display = ("case", "status", "requested_at", "requested_by", "due_on", "removal_verified_at")
    list_filter = ("status", "due_on")
    list_select_related = ("case", "requested_by")
    search_fields = ("case__reference",)
    autocomplete_fields = ("case", "posts", "requested_by", "letter")
    readonly_fields = ("public_id",)


# Documents, outbox, counters ----------------------------------------------------------------


@admin.register(Document)
class DocumentAdmin(CaseHistoryAdmin):
    list_display = ("title", "kind", "case", "generated_by", "generated_at")
    list_filter = ("kind", "generated_at")
    list_select_related = ("case", "generated_by")
    search_fields = ("title", "case__reference", "sha256")
    date_hierarchy = "generated_at"
    # The stored file is not offered for download here: storage has no public URL by design.
    fields = ("title", "kind", "case", "file_name", "sha256", "template", "generated_by", "generated_at", "public_id")
    readonly_fields = ("kind", "case", "file_name", "sha256", "template", "generated_by", "generated_at", "public_id")

    def has_add_permission(self, request):
        # Documents are generated from templates, with their hash, by the document service.
        return False

    @admin.display(description="File")
    def file_name(self, obj):
        return obj.file.name if obj and obj.file else "-"


@admin.register(OutboxMessage)
class OutboxMessageAdmin(CaseHistoryAdmin):
    list_display = ("subject", "to", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "template", "created_at")
    list_select_related = ("case", "complaint")
    search_fields = ("to", "subject", "case__reference", "complaint__reference")
    date_hierarchy = "created_at"
    fields = (
        "to",
        "subject",
        "template",
        "context",
        "case",
        "complaint",
        "status",
        "attempts",
        "created_at",
        "claimed_at",
        "sent_at",
        "last_error",
        "public_id",
    )
    readonly_fields = fields
    actions = ("send_now",)

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send now (pending messages only)", permissions=["change"])
    def send_now(self, request, queryset):
        from complaints.services.outbox import outbox_message_send

        sent = skipped = failed = 0
        for message_id in queryset.filter(status=OutboxStatus.PENDING).values_list("pk", flat=True):
            try:
                result = outbox_message_send(message_id=message_id)
            except Exception:  # the service has recorded the error on the row
                failed += 1
                continue
            if result == "sent":
                sent += 1
            else:
                skipped += 1
        not_pending = queryset.exclude(status=OutboxStatus.PENDING).count()
        self.message_user(request, f"Sent {sent} message(s).", messages.SUCCESS)
        if skipped or not_pending:
            self.message_user(
                request,
                f"Skipped {skipped + not_pending} message(s) that were not pending or were claimed by a worker.",
                messages.WARNING,
            )
        if failed:
            self.message_user(request, f"{failed} message(s) failed; see their last error.", messages.ERROR)


@admin.register(ReferenceCounter)
class ReferenceCounterAdmin(admin.ModelAdmin):
    list_display = ("prefix", "year", "last_number")
    list_filter = ("prefix", "year")
    fields = ("prefix", "year", "last_number")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
