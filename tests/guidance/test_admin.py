"""The admin pages for codes, clauses, guidance documents and rules load for staff."""

import pytest
from django.urls import reverse

from guidance.models import Clause, CodeOfConduct, GuidanceDocument, GuidanceRule


@pytest.mark.parametrize("model", [CodeOfConduct, Clause, GuidanceDocument, GuidanceRule])
def test_admin_changelist_and_change_page_load(admin_client, loaded, model):
    opts = model._meta
    changelist = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    obj = model.objects.first()
    change = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    assert change.status_code == 200


def test_admin_search_and_filters_work(admin_client, loaded):
    url = reverse("admin:guidance_guidancedocument_changelist")
    response = admin_client.get(url, {"q": "harass"})
    assert response.status_code == 200
    matching = GuidanceRule.objects.filter(text__icontains="harass").values_list("document__slug", flat=True)
    assert response.context["cl"].result_count == len(set(matching))
    rules = admin_client.get(reverse("admin:guidance_guidancerule_changelist"), {"kind__exact": "dont"})
    assert rules.status_code == 200
    assert rules.context["cl"].result_count == GuidanceRule.objects.filter(kind="dont").count()


def test_clause_autocomplete_finds_clauses_by_heading(admin_client, loaded):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "guidance", "model_name": "guidancerule", "field_name": "clauses", "term": "Disrepute"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["5. Disrepute"]
