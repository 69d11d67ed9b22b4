"""Reads for the guidance app: which code applies, and the public pages' data."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Case, Prefetch, Value, When

from guidance.models import Clause, CodeOfConduct, GuidanceDocument, GuidanceRule


def code_in_force(*, authority, on: datetime.date) -> CodeOfConduct | None:
    """The code that applied to ``authority`` on ``on``, or None.

    The authority's own adopted code wins; failing that, its parent principal council's (parish
    and town councils usually follow the district's code). Where versions overlap, the one that
    came into force most recently wins, so a new version can be added without editing the old one.
    """
    ids = [authority.pk]
    if authority.parent_id:
        ids.append(authority.parent_id)
    return (
        CodeOfConduct.objects.in_force_on(on)
        .filter(authority_id__in=ids)
        .annotate(own_first=Case(When(authority_id=authority.pk, then=Value(0)), default=Value(1)))
        .select_related("authority", "based_on")
        .order_by("own_first", "-effective_from", "-pk")
        .first()
    )


def clauses_for(code: CodeOfConduct) -> list[Clause]:
    """The code's clauses in order, each with ``rules``: the guidance rules that explain it.

    Guidance rules are linked to the model code's clauses; an adopted version shows the rules
    linked to the clause with the same number in the code it was based on (and so on up).
    """
    clauses = list(code.clauses.order_by("position", "pk"))
    lineage = [code.pk]
    parent_id, seen = code.based_on_id, {code.pk}
    while parent_id and parent_id not in seen:
        lineage.append(parent_id)
        seen.add(parent_id)
        parent_id = CodeOfConduct.objects.filter(pk=parent_id).values_list("based_on_id", flat=True).first()
    through = GuidanceRule.clauses.through
    links = (
        through.objects.filter(clause__code_id__in=lineage)
        .select_related("guidancerule__document", "clause")
        .order_by(
            "guidancerule__document__council",
            "guidancerule__document__date",
            "guidancerule__document_id",
            "guidancerule__position",
        )
    )
    by_number: dict[str, list[GuidanceRule]] = defaultdict(list)
    for link in links:
        rules = by_number[link.clause.number]
        if link.guidancerule not in rules:
            rules.append(link.guidancerule)
    for clause in clauses:
        clause.rules = by_number.get(clause.number, [])
    return clauses


def model_codes() -> list[CodeOfConduct]:
    """Published model codes (no authority), newest first."""
    return list(CodeOfConduct.objects.filter(authority__isnull=True).order_by("-effective_from", "title"))


def adopted_codes_in_force(*, on: datetime.date) -> list[CodeOfConduct]:
    """Each authority's own code in force on ``on`` (the latest version where versions overlap)."""
    codes = (
        CodeOfConduct.objects.in_force_on(on)
        .filter(authority__isnull=False)
        .select_related("authority", "based_on")
        .order_by("authority__name", "-effective_from", "-pk")
    )
    current: dict[int, CodeOfConduct] = {}
    for code in codes:
        current.setdefault(code.authority_id, code)
    return list(current.values())


def code_versions(code: CodeOfConduct) -> list[CodeOfConduct]:
    """Every version of the same authority's code (or just this one for a model code), oldest first."""
    if code.authority_id is None:
        return [code]
    return list(CodeOfConduct.objects.filter(authority_id=code.authority_id).order_by("effective_from", "pk"))


def guidance_documents() -> list[GuidanceDocument]:
    return list(GuidanceDocument.objects.order_by("council", "date"))


def document_sections(document: GuidanceDocument) -> list[tuple[str, list[GuidanceRule]]]:
    """The document's rules grouped by section heading, in document order, clauses prefetched."""
    rules = document.rules.order_by("position").prefetch_related(
        Prefetch("clauses", queryset=Clause.objects.select_related("code").order_by("position"))
    )
    sections: dict[str, list[GuidanceRule]] = {}
    for rule in rules:
        sections.setdefault(rule.section, []).append(rule)
    return list(sections.items())
