"""Which code applies on a date: own version first, then the parent principal council's."""

import datetime

import pytest

from guidance.models import Clause, CodeOfConduct
from guidance.selectors import clauses_for, code_in_force
from guidance.services import code_adopt

D = datetime.date


def rows(code):
    return (
        CodeOfConduct.objects.filter(pk=code.pk).values_list().get(),
        set(Clause.objects.filter(code=code).values_list()),
    )


@pytest.fixture
def first_version(district, lga_code):
    return code_adopt(
        authority=district,
        model_code=lga_code,
        effective_from=D(2019, 5, 1),
        effective_to=D(2021, 5, 16),
        slug="ashford-code-2019",
        title="Ashford Borough Council Code of Conduct (2019)",
    )


def test_no_code_applies_before_the_first_version(district, first_version):
    assert code_in_force(authority=district, on=D(2019, 4, 30)) is None


def test_the_version_applies_on_every_day_it_is_in_force(district, first_version):
    assert code_in_force(authority=district, on=D(2019, 5, 1)) == first_version
    assert code_in_force(authority=district, on=D(2020, 6, 1)) == first_version
    assert code_in_force(authority=district, on=D(2021, 5, 16)) == first_version  # effective_to is inclusive


def test_no_code_applies_after_a_version_ends_without_a_successor(district, first_version):
    assert code_in_force(authority=district, on=D(2021, 5, 17)) is None


def test_a_new_version_is_added_without_touching_the_first(district, lga_code, first_version):
    before = rows(first_version)
    second = code_adopt(
        authority=district, model_code=lga_code, effective_from=D(2021, 5, 17), slug="ashford-code-2021"
    )
    assert rows(first_version) == before
    assert second.pk != first_version.pk and second.based_on == lga_code
    assert second.clauses.count() == 10
    assert code_in_force(authority=district, on=D(2021, 5, 16)) == first_version
    assert code_in_force(authority=district, on=D(2021, 5, 17)) == second
    assert code_in_force(authority=district, on=D(2030, 1, 1)) == second


def test_where_versions_overlap_the_most_recent_one_applies(district, lga_code):
    old = code_adopt(authority=district, model_code=lga_code, effective_from=D(2012, 7, 1), slug="old")
    new = code_adopt(authority=district, model_code=lga_code, effective_from=D(2022, 5, 1), slug="new")
    assert code_in_force(authority=district, on=D(2022, 4, 30)) == old
    assert code_in_force(authority=district, on=D(2022, 5, 1)) == new


def test_a_parish_falls_back_to_its_principal_councils_code(parish, first_version):
    assert code_in_force(authority=parish, on=D(2020, 1, 1)) == first_version
    assert code_in_force(authority=parish, on=D(2019, 1, 1)) is None


def test_a_parish_with_its_own_code_in_force_uses_it(parish, lga_code, first_version):
    own = code_adopt(authority=parish, model_code=lga_code, effective_from=D(2020, 1, 1), slug="wye-code-2020")
    assert code_in_force(authority=parish, on=D(2019, 12, 31)) == first_version
    assert code_in_force(authority=parish, on=D(2020, 1, 1)) == own


def test_other_councils_codes_and_the_model_code_never_apply(other_district, district, lga_code, first_version):
    assert code_in_force(authority=other_district, on=D(2020, 1, 1)) is None
    assert lga_code.authority is None
    assert code_in_force(authority=district, on=D(2025, 1, 1)) is None


def test_code_in_force_takes_one_query(parish, first_version, django_assert_num_queries):
    with django_assert_num_queries(1):
        code = code_in_force(authority=parish, on=D(2020, 1, 1))
        assert code.authority.name == "Ashford Borough Council"


def test_adopting_twice_with_the_same_slug_updates_the_same_version(district, lga_code, first_version):
    again = code_adopt(
        authority=district,
        model_code=lga_code,
        effective_from=D(2019, 5, 1),
        effective_to=D(2021, 5, 16),
        slug="ashford-code-2019",
        title="Ashford Borough Council Code of Conduct (2019)",
    )
    assert again.pk == first_version.pk
    assert CodeOfConduct.objects.filter(authority=district).count() == 1
    assert list(again.clauses.order_by("position").values_list("number", "heading", "text")) == list(
        lga_code.clauses.order_by("position").values_list("number", "heading", "text")
    )


def test_a_slug_belonging_to_another_council_is_refused(other_district, lga_code, first_version):
    with pytest.raises(ValueError, match="belongs to Ashford Borough Council"):
        code_adopt(authority=other_district, model_code=lga_code, effective_from=D(2020, 1, 1), slug=first_version.slug)


def test_an_adopted_code_shows_the_guidance_linked_to_the_model_codes_clauses(first_version):
    clauses = clauses_for(first_version)
    assert [c.number for c in clauses] == [str(n) for n in range(1, 11)]
    confidentiality = clauses[3]
    assert confidentiality.rules
    assert all(rule.clauses.filter(number="4").exists() for rule in confidentiality.rules)
    assert clauses[9].rules == []  # no seed rule is about gifts and hospitality
