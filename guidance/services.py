"""Writes for the guidance app: loading the shipped codes and guidance, adopting a model code."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml
from django.db import models, transaction
from django.utils.text import slugify

from guidance.models import Clause, ClauseCategory, CodeOfConduct, GuidanceDocument, GuidanceRule, RuleKind

DATA_DIR = Path(__file__).resolve().parent / "data"
CODE_FILES = ("lga_model_code_2020.yaml",)
GUIDANCE_FILE = "guidance_documents.yaml"


class GuidanceDataError(ValueError):
    """The shipped data is malformed, or applying it would lose data other records rely on."""


def guidance_load(*, data_dir: Path | str | None = None) -> dict[str, int]:
    """Load the shipped model code(s) and the councils' social media guidance, idempotently.

    Codes are keyed on slug, clauses on code + number, documents on slug and rules on document +
    position. Clauses and rules that have vanished from the data are removed, but only for the
    codes and documents in the data; anything added through the admin is left alone.
    Returns counts of what the data holds and of what was removed.
    """
    data_dir = Path(data_dir) if data_dir else DATA_DIR
    code_data = [_read_yaml(data_dir / name) for name in CODE_FILES]
    guidance_data = _read_yaml(data_dir / GUIDANCE_FILE)
    counts = {"codes": 0, "clauses": 0, "clauses_removed": 0, "documents": 0, "rules": 0, "rules_removed": 0}
    with transaction.atomic():
        for data in code_data:
            code, clauses, removed = _load_code(data)
            counts["codes"] += 1
            counts["clauses"] += clauses
            counts["clauses_removed"] += removed
        code = _get_code(guidance_data.get("code"))
        clauses = {clause.number: clause for clause in code.clauses.all()}
        for data in _require(guidance_data, "documents", "guidance file"):
            rules, removed = _load_document(data, clauses=clauses)
            counts["documents"] += 1
            counts["rules"] += rules
            counts["rules_removed"] += removed
    return counts


def code_adopt(
    *,
    authority,
    model_code: CodeOfConduct,
    effective_from: datetime.date,
    effective_to: datetime.date | None = None,
    slug: str | None = None,
    title: str | None = None,
) -> CodeOfConduct:
    """Give an authority its own version of a code by copying the model code's clauses.

    Idempotent on slug: adopting again updates the same version and its clauses. Earlier
    versions are never touched; the selector picks the version in force on a given day.
    """
    slug = slug or slugify(f"{authority.slug} code {effective_from.isoformat()}")[:100]
    existing = CodeOfConduct.objects.filter(slug=slug).exclude(authority=authority).first()
    if existing is not None:
        raise ValueError(f"The code {slug!r} belongs to {existing.authority or 'no authority'}, not {authority}.")
    with transaction.atomic():
        code, _ = CodeOfConduct.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title or f"{authority.name} Code of Conduct",
                "authority": authority,
                "based_on": model_code,
                "version": effective_from.isoformat(),
                "effective_from": effective_from,
                "effective_to": effective_to,
                "source": f"Adopted by {authority.name}, based on the {model_code.title}.",
                "summary": model_code.summary,
            },
        )
        numbers = []
        for clause in model_code.clauses.order_by("position"):
            numbers.append(clause.number)
            Clause.objects.update_or_create(
                code=code,
                number=clause.number,
                defaults={
                    "heading": clause.heading,
                    "text": clause.text,
                    "plain_english": clause.plain_english,
                    "category": clause.category,
                    "position": clause.position,
                },
            )
        _delete_clauses(code.clauses.exclude(number__in=numbers))
    return code


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except FileNotFoundError as exc:
        raise GuidanceDataError(f"Guidance data file not found: {path}") from exc
    if not isinstance(data, dict):
        raise GuidanceDataError(f"{path.name}: expected a mapping at the top level.")
    return data


def _require(data: dict[str, Any], key: str, where: str) -> Any:
    value = data.get(key)
    if value in (None, "", []):
        raise GuidanceDataError(f"{where}: {key!r} is missing.")
    return value


def _as_date(value: Any, key: str, where: str) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as exc:
        raise GuidanceDataError(f"{where}: {key!r} is not a date: {value!r}") from exc


def _check_length(value: str, field: models.Field, where: str) -> str:
    if field.max_length and len(value) > field.max_length:
        raise GuidanceDataError(f"{where}: {field.name} is {len(value)} characters, over {field.max_length}.")
    return value


def _text(data: dict[str, Any], key: str, model: type[models.Model], where: str, *, required=True) -> str:
    value = _require(data, key, where) if required else (data.get(key) or "")
    return _check_length(str(value).strip(), model._meta.get_field(key), where)


def _get_code(slug: str | None) -> CodeOfConduct:
    if not slug:
        raise GuidanceDataError("guidance file: 'code' (the slug of the code the clause numbers refer to) is missing.")
    try:
        return CodeOfConduct.objects.get(slug=slug)
    except CodeOfConduct.DoesNotExist as exc:
        raise GuidanceDataError(f"guidance file: code {slug!r} is not loaded.") from exc


def _load_code(data: dict[str, Any]) -> tuple[CodeOfConduct, int, int]:
    slug = _require(data, "slug", "code")
    where = f"code {slug}"
    code, _ = CodeOfConduct.objects.update_or_create(
        slug=slug,
        defaults={
            "title": _text(data, "title", CodeOfConduct, where),
            "authority": None,
            "based_on": None,
            "version": _text(data, "version", CodeOfConduct, where, required=False),
            "effective_from": _as_date(_require(data, "effective_from", where), "effective_from", where),
            "effective_to": _as_date(data.get("effective_to"), "effective_to", where),
            "source": _text(data, "source", CodeOfConduct, where, required=False),
            "summary": _text(data, "summary", CodeOfConduct, where, required=False),
        },
    )
    numbers = []
    for position, item in enumerate(_require(data, "clauses", where), start=1):
        number = str(_require(item, "number", f"{where}, clause {position}"))
        item_where = f"{where}, clause {number}"
        if number in numbers:
            raise GuidanceDataError(f"{item_where}: the number is used twice.")
        category = item.get("category") or ClauseCategory.OTHER
        if category not in ClauseCategory.values:
            raise GuidanceDataError(f"{item_where}: unknown category {category!r}.")
        numbers.append(number)
        Clause.objects.update_or_create(
            code=code,
            number=number,
            defaults={
                "heading": _text(item, "heading", Clause, item_where),
                "text": _text(item, "text", Clause, item_where),
                "plain_english": _text(item, "plain_english", Clause, item_where, required=False),
                "category": category,
                "position": position,
            },
        )
    removed = _delete_clauses(code.clauses.exclude(number__in=numbers))
    return code, len(numbers), removed


def _delete_clauses(queryset) -> int:
    """Delete clauses, refusing if anything other than guidance rules points at them.

    Complaints and decisions link clauses through many-to-many fields, which a delete would
    silently empty; a clause that a case relies on has to be retired by hand, not by a data load.
    """
    clauses = list(queryset)
    if not clauses:
        return 0
    for relation in Clause._meta.get_fields(include_hidden=True):
        if not relation.many_to_many or not relation.auto_created or relation.related_model is GuidanceRule:
            continue
        through = relation.through
        column = next(f.name for f in through._meta.fields if f.related_model is Clause)
        in_use = through.objects.filter(**{f"{column}__in": clauses}).values_list(column, flat=True).first()
        if in_use is not None:
            clause = next(c for c in clauses if c.pk == in_use)
            raise GuidanceDataError(
                f"Clause {clause.number} of {clause.code} is no longer in the data but is referenced by "
                f"{relation.related_model._meta.verbose_name_plural}; not removing it."
            )
    Clause.objects.filter(pk__in=[c.pk for c in clauses]).delete()
    return len(clauses)


def _load_document(data: dict[str, Any], *, clauses: dict[str, Clause]) -> tuple[int, int]:
    slug = _require(data, "slug", "guidance document")
    where = f"document {slug}"
    document, _ = GuidanceDocument.objects.update_or_create(
        slug=slug,
        defaults={
            "council": _text(data, "council", GuidanceDocument, where),
            "title": _text(data, "title", GuidanceDocument, where),
            "date": _as_date(_require(data, "date", where), "date", where),
            "date_note": _text(data, "date_note", GuidanceDocument, where, required=False),
            "summary": _text(data, "summary", GuidanceDocument, where, required=False),
            "source": _text(data, "source", GuidanceDocument, where, required=False),
        },
    )
    items = _require(data, "rules", where)
    for position, item in enumerate(items, start=1):
        item_where = f"{where}, rule {position}"
        kind = item.get("kind")
        if kind not in RuleKind.values:
            raise GuidanceDataError(f"{item_where}: kind must be one of {RuleKind.values}, not {kind!r}.")
        numbers = [str(n) for n in _require(item, "clauses", item_where)]
        unknown = [n for n in numbers if n not in clauses]
        if unknown:
            raise GuidanceDataError(f"{item_where}: no clause {', '.join(unknown)} in the code.")
        rule, _ = GuidanceRule.objects.update_or_create(
            document=document,
            position=position,
            defaults={
                "kind": kind,
                "section": _text(item, "section", GuidanceRule, item_where, required=False),
                "text": _text(item, "text", GuidanceRule, item_where),
            },
        )
        rule.clauses.set([clauses[n] for n in numbers])
    stale = document.rules.filter(position__gt=len(items))
    removed = stale.count()
    stale.delete()
    return len(items), removed
