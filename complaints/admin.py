"""The Django admin: for the MO's system administrator, not the day-to-day officer workspace.

History (events), evidence originals, generated documents and reference counters are shown but
cannot be rewritten here: the admin must not become a way round the append-only and
evidential rules the rest of the product keeps.
"""

import logging

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html

from complaints.models import (
    LOCAL_KINDS,
    Assessment,
    Authority,
    Case,
    ClosureDay,
    Complaint,
    Councillor,
    Deadline,
    Decision,
    DecisionNotice,
    Document,
    Event,
    EventKind,
    Evidence,
    OutboxMessage,
    OutboxStatus,
    PublicInterestQuestion,
    ReferenceCounter,
    SocialMediaAccount,
    SocialMediaPost,
    Stage,
    TakedownRequest,
    TimeLimit,
)
from complaints.models.events import json_normalise
from complaints.services.cases import case_link, case_stage_set
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
    fields = (
        "name",
        "slug",
        "kind",
        "nation",
        "parent",
        "clerk_name",
        "clerk_email",
        "website",
        "notice_names_councillor",
        "public_id",
    )
    inlines = (CouncillorInline,)

    def get_inlines(self, request, obj):
        # Closure days and time limits belong to principal councils; parish councils follow theirs.
        if obj is not None and obj.is_principal:
            return (CouncillorInline, ClosureDayInline, TimeLimitInline, PublicInterestQuestionInline)
        return (CouncillorInline,)


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
    list_filter = ("stage", "outcome", ("authority", admin.RelatedOnlyFieldListFilter), "legal_hold", "opened_at")
    list_select_related = ("authority", "assigned_officer")
    search_fields = ("reference", "title", "complaints__reference")
    date_hierarchy = "opened_at"
    autocomplete_fields = ("authority", "assigned_officer")
    readonly_fields = ("reference", "public_id", "opened_at", "anonymised_at")
    fields = (
        "reference",
        "title",
        "authority",
        "stage",
        "outcome",
        "assigned_officer",
        "opened_at",
        "closed_at",
        "legal_hold",
        "legal_hold_reason",
        "anonymised_at",
        "public_id",
    )
    inlines = (CaseComplaintInline, CaseDeadlineInline, CaseEventInline)

    def has_add_permission(self, request):
        # A case is opened by a complaint (complaint_submit), never on its own.
        return False

    def save_model(self, request, obj, form, change):
        stored = _fresh(obj) if change and obj.pk is not None else None
        if stored is not None and stored.stage != obj.stage:
            # The stage is written by case_stage_set (in record_change, once the other fields are
            # saved), so a stage change made here is the same single STAGE_CHANGED event as anywhere.
            obj._stage_wanted = (obj.stage, obj.closed_at)
            obj.stage, obj.closed_at = stored.stage, stored.closed_at
        elif obj.stage == Stage.CLOSED and obj.closed_at is None:
            obj.closed_at = timezone.now()
        super().save_model(request, obj, form, change)

    def record_change(self, request, obj, before):
        if before is not None and before.get("legal_hold") != obj.legal_hold:
            # A hold set or released is an event of its own, which retention reports rely on.
            _record(
                case=obj,
                kind=EventKind.LEGAL_HOLD_SET if obj.legal_hold else EventKind.LEGAL_HOLD_RELEASED,
                description=f"Legal hold set: {obj.legal_hold_reason}" if obj.legal_hold else "Legal hold released",
                user=request.user,
                details={"reason": obj.legal_hold_reason} if obj.legal_hold else {},
            )
        wanted = obj.__dict__.pop("_stage_wanted", None)
        if wanted is None or before is None:
            record_admin_change(request=request, obj=obj, before=before)
            return
        stage, closed_at = wanted
        after = _snapshot(_fresh(obj))
        if stage == Stage.CLOSED:
            closed_at = closed_at or timezone.now()
        else:
            closed_at = None
        after["stage"] = stage
        after["closed_at"] = json_normalise({"v": closed_at})["v"]
        case_stage_set(
            case=obj,
            stage=stage,
            actor=request.user,
            actor_label=_actor_label(request.user),
            closed_at=closed_at,
            description=f"Stage changed to {Stage(stage).label} in the admin",
            details={
                "via": "admin",
                "model": obj._meta.label_lower,
                "object": str(obj.public_id),
                "action": "changed",
                "changes": _changes(before, after),
            },
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
    list_display = ("case", "kind", "starts_on", "working_days", "counting", "due_on", "paused_at", "met_at")
    list_filter = ("kind", ("met_at", admin.EmptyFieldListFilter), "due_on")
    list_select_related = ("case",)
    search_fields = ("case__reference",)
    date_hierarchy = "due_on"
    autocomplete_fields = ("case",)

    def get_readonly_fields(self, request, obj=None):
        # Due dates are stored, not recomputed: once set, how they were computed stays as written.
        paused = ("paused_at", "pause_reason", "paused_days", "pauses")
        if obj is None:
            return ("counting", "due_on", "computation", "created_at", *paused)
        return ("case", "kind", "starts_on", "working_days", "counting", "due_on", "computation", "created_at", *paused)

    def save_model(self, request, obj, form, change):
        if not change:
            from complaints.services.time_limits import time_limit
            from complaints.services.working_days import calendar_for, due_date

            # Working or calendar days, as the council counts this kind of clock.
            obj.counting = time_limit(obj.case.authority, obj.kind).counting
            due = due_date(
                obj.starts_on, obj.working_days, calendar=calendar_for(obj.case.authority), counting=obj.counting
            )
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


@admin.register(DecisionNotice)
class DecisionNoticeAdmin(admin.ModelAdmin):
    """Read only: notices are published and withdrawn from the case, where each step is recorded."""

    list_display = ("decision", "authority", "outcome", "decided_on", "published_at", "withdrawn_at")
    list_filter = (
        "outcome",
        ("published_at", admin.EmptyFieldListFilter),
        ("withdrawn_at", admin.EmptyFieldListFilter),
    )
    list_select_related = ("decision__case", "authority")
    search_fields = ("decision__case__reference",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
        "deadline",
        "status",
        "attempts",
        "created_at",
        "claimed_at",
        "next_attempt_at",
        "sent_at",
        "last_error",
        "public_id",
    )
    readonly_fields = fields
    actions = ("send_now", "retry_failed")

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send now (pending messages only)", permissions=["change"])
    def send_now(self, request, queryset):
        # Queued for the worker, never sent inside this request: a slow mail server cannot hold it up.
        from complaints.services.outbox import outbox_send_soon

        queued = outbox_send_soon(message_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"Queued {queued} message(s) to be sent now.", messages.SUCCESS)
        not_pending = queryset.exclude(status=OutboxStatus.PENDING).count()
        if not_pending:
            self.message_user(request, f"Skipped {not_pending} message(s) that were not pending.", messages.WARNING)

    @admin.action(description="Try failed messages again", permissions=["change"])
    def retry_failed(self, request, queryset):
        from complaints.services.outbox import outbox_message_retry

        retried = sum(
            outbox_message_retry(message=message, actor=request.user)
            for message in queryset.filter(status=OutboxStatus.FAILED).select_related("case")
        )
        self.message_user(request, f"Queued {retried} failed message(s) to be tried again.", messages.SUCCESS)
        others = queryset.exclude(status=OutboxStatus.FAILED).count()
        if others:
            self.message_user(request, f"Skipped {others} message(s) that had not failed.", messages.WARNING)


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


# The working-day calendar: closure days and time limits per principal council -------------------


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):
    list_display = ("day", "authority", "reason", "created_by")
    list_filter = (("authority", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("authority", "created_by")
    search_fields = ("reason", "authority__name")
    date_hierarchy = "day"
    fields = ("authority", "day", "reason")
    actions = ("recompute_clocks",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def _offer_recompute(self, request, obj):
        url = reverse("admin:complaints_closureday_recompute", args=[obj.authority_id])
        messages.info(
            request,
            format_html(
                'Clocks already running are not moved by themselves. <a href="{}">See which open clocks of {} '
                "would move, and recompute them</a> (a Monitoring Officer or deputy can).",
                url,
                obj.authority,
            ),
        )

    def response_add(self, request, obj, post_url_continue=None):
        self._offer_recompute(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self._offer_recompute(request, obj)
        return super().response_change(request, obj)

    def delete_model(self, request, obj):
        authority = obj.authority
        super().delete_model(request, obj)
        self._offer_recompute(request, ClosureDay(authority=authority))

    @admin.action(description="Recompute open clocks of the selected days' councils")
    def recompute_clocks(self, request, queryset):
        councils = sorted(set(queryset.values_list("authority_id", flat=True)))
        if len(councils) != 1:
            self.message_user(request, "Choose closure days of one council at a time.", level=messages.WARNING)
            return None
        return redirect("admin:complaints_closureday_recompute", councils[0])

    def get_urls(self):
        extra = [
            path(
                "recompute/<int:authority_id>/",
                self.admin_site.admin_view(self.recompute_view),
                name="complaints_closureday_recompute",
            )
        ]
        return extra + super().get_urls()

    def recompute_view(self, request, authority_id: int):
        """Preview the open clocks a council's closure days now move, and move them on confirmation."""
        from complaints import access
        from complaints.services.clocks import clocks_recompute, clocks_recompute_preview

        # Moving clocks changes cases: it takes the right to change clocks, and reaches only the
        # cases the user may see (the one access rule).
        if not (self.has_view_permission(request) and request.user.has_perm("complaints.change_deadline")):
            raise PermissionDenied
        cases = access.cases_for(request.user)
        authority = get_object_or_404(Authority.objects.exclude(kind__in=LOCAL_KINDS), pk=authority_id)
        if request.method == "POST":
            moved = clocks_recompute(authority=authority, actor=request.user, cases=cases)
            self.message_user(
                request,
                f"{len(moved)} open clock(s) of {authority} recomputed; each case's history records the change.",
                level=messages.SUCCESS,
            )
            return redirect(reverse("admin:complaints_closureday_changelist") + f"?authority__id__exact={authority.pk}")
        moves = clocks_recompute_preview(authority=authority, cases=cases)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Recompute open clocks of {authority}",
            "authority": authority,
            "moves": moves,
        }
        return TemplateResponse(request, "admin/complaints/closureday/recompute.html", context)


@admin.register(TimeLimit)
class TimeLimitAdmin(admin.ModelAdmin):
    list_display = ("authority", "kind", "days", "counting", "flag_for_closure")
    list_filter = (("authority", admin.RelatedOnlyFieldListFilter), "kind")
    list_select_related = ("authority",)
    fields = ("authority", "kind", "days", "counting", "flag_for_closure")


class ClosureDayInline(admin.TabularInline):
    model = ClosureDay
    fields = ("day", "reason")
    extra = 0


class PublicInterestQuestionInline(admin.TabularInline):
    model = PublicInterestQuestion
    fields = ("position", "text")
    extra = 0


@admin.register(PublicInterestQuestion)
class PublicInterestQuestionAdmin(admin.ModelAdmin):
    """A council's published public interest test, asked in every initial assessment of its
    cases (with none, the assessment asks the default questions)."""

    list_display = ("authority", "position", "text")
    list_filter = (("authority", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("authority",)
    search_fields = ("text", "authority__name")
    fields = ("authority", "position", "text")
    ordering = ("authority__name", "position")


class TimeLimitInline(admin.TabularInline):
    model = TimeLimit
    fields = ("kind", "days", "counting", "flag_for_closure")
    extra = 0
