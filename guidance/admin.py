from django.contrib import admin
from django.db.models import Count

from guidance.models import Clause, CodeOfConduct, GuidanceDocument, GuidanceRule


class ClauseInline(admin.StackedInline):
    model = Clause
    extra = 0
    fields = (("number", "position", "category"), "heading", "text", "plain_english")
    ordering = ("position",)


@admin.register(CodeOfConduct)
class CodeOfConductAdmin(admin.ModelAdmin):
    list_display = ("title", "version", "authority", "effective_from", "effective_to", "clause_count")
    list_filter = (("authority", admin.EmptyFieldListFilter), "effective_from")
    list_select_related = ("authority",)
    search_fields = ("title", "slug", "version", "authority__name")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("based_on",)
    date_hierarchy = "effective_from"
    inlines = [ClauseInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_clause_count=Count("clauses"))

    @admin.display(description="clauses", ordering="_clause_count")
    def clause_count(self, obj):
        return obj._clause_count


@admin.register(Clause)
class ClauseAdmin(admin.ModelAdmin):
    """Registered for the clause autocomplete on guidance rules, and to browse clauses across codes."""

    list_display = ("number", "heading", "code", "category", "position")
    list_filter = ("category", "code")
    list_select_related = ("code",)
    search_fields = ("number", "heading", "text", "code__title", "code__slug")
    ordering = ("code__title", "code__effective_from", "position")


class GuidanceRuleInline(admin.StackedInline):
    model = GuidanceRule
    extra = 0
    fields = (("position", "kind", "section"), "text", "clauses")
    autocomplete_fields = ("clauses",)
    ordering = ("position",)


@admin.register(GuidanceDocument)
class GuidanceDocumentAdmin(admin.ModelAdmin):
    list_display = ("council", "title", "date", "rule_count")
    list_filter = ("council",)
    search_fields = ("council", "title", "slug", "summary", "rules__text")
    prepopulated_fields = {"slug": ("council", "title")}
    readonly_fields = ("public_id",)
    date_hierarchy = "date"
    inlines = [GuidanceRuleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_rule_count=Count("rules"))

    @admin.display(description="rules", ordering="_rule_count")
    def rule_count(self, obj):
        return obj._rule_count

    def get_search_results(self, request, queryset, search_term):
        # Searching rule text joins the rules; without distinct a document would repeat per match.
        queryset, _ = super().get_search_results(request, queryset, search_term)
        return queryset, True


@admin.register(GuidanceRule)
class GuidanceRuleAdmin(admin.ModelAdmin):
    list_display = ("short_text", "kind", "section", "document", "position")
    list_filter = ("kind", "document", "clauses__number")
    list_select_related = ("document",)
    search_fields = ("text", "section", "document__council", "document__title")
    autocomplete_fields = ("clauses",)
    ordering = ("document__council", "position")

    @admin.display(description="text")
    def short_text(self, obj):
        return obj.text if len(obj.text) <= 100 else obj.text[:99] + "…"
