"""The shipped data: the LGA model code and the five councils' social media guidance."""

import shutil
from io import StringIO

import pytest
import yaml
from django.core.management import call_command

from guidance.models import Clause, CodeOfConduct, GuidanceDocument, GuidanceRule
from guidance.services import DATA_DIR, GuidanceDataError, guidance_load

# Every do and don't in each seed document, counted by hand from /work/shared/seeds (see the
# header of guidance/data/guidance_documents.yaml for what counts as a rule).
EXPECTED_RULES = {
    "westminster-social-media-guidance": ("Westminster City Council", 36),
    "ashford-social-media-guidance": ("Ashford Borough Council", 30),
    "cambridgeshire-social-media-code": ("Cambridgeshire County Council", 42),
    "leicestershire-common-code-social-media-guidance": (
        "A Leicestershire council (Common Code of Conduct for Leicestershire)",
        11,
    ),
    "chelmsford-social-media-protocol": ("Chelmsford City Council", 30),
}

LGA_HEADINGS = {
    "1": "Respect",
    "2": "Bullying, harassment and discrimination",
    "3": "Impartiality of officers of the council",
    "4": "Confidentiality and access to information",
    "5": "Disrepute",
    "6": "Use of position",
    "7": "Use of local authority resources and facilities",
    "8": "Complying with the Code of Conduct",
    "9": "Interests",
    "10": "Gifts and hospitality",
}


def snapshot():
    """Every guidance row's values, primary keys included, so a delete-and-recreate would show."""
    return {
        "codes": set(CodeOfConduct.objects.values_list()),
        "clauses": set(Clause.objects.values_list()),
        "documents": set(GuidanceDocument.objects.values_list()),
        "rules": set(GuidanceRule.objects.values_list()),
        "links": set(GuidanceRule.clauses.through.objects.values_list("guidancerule_id", "clause_id")),
    }


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit_yaml(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.django_db
def test_load_guidance_returns_counts_of_what_the_data_holds():
    counts = guidance_load()
    assert counts == {
        "codes": 1,
        "clauses": 10,
        "clauses_removed": 0,
        "documents": 5,
        "rules": sum(n for _, n in EXPECTED_RULES.values()),
        "rules_removed": 0,
    }


@pytest.mark.django_db
def test_load_guidance_twice_leaves_the_same_rows():
    guidance_load()
    first = snapshot()
    counts = guidance_load()
    assert snapshot() == first
    assert counts["rules_removed"] == 0 and counts["clauses_removed"] == 0
    assert len(first["rules"]) == 149 and len(first["links"]) > 149


def test_every_seed_document_is_loaded_with_each_of_its_dos_and_donts(loaded):
    documents = {d.slug: d for d in GuidanceDocument.objects.all()}
    assert set(documents) == set(EXPECTED_RULES)
    for slug, (council, rule_count) in EXPECTED_RULES.items():
        assert documents[slug].council == council
        assert documents[slug].rules.count() == rule_count, slug
        positions = list(documents[slug].rules.values_list("position", flat=True))
        assert positions == list(range(1, rule_count + 1))


def test_documents_carry_their_own_dates_or_explain_the_date_chosen(loaded):
    ashford = GuidanceDocument.objects.get(slug="ashford-social-media-guidance")
    chelmsford = GuidanceDocument.objects.get(slug="chelmsford-social-media-protocol")
    assert ashford.date.isoformat() == "2019-03-18"
    assert chelmsford.date.isoformat() == "2023-03-08"
    for slug in (
        "westminster-social-media-guidance",
        "cambridgeshire-social-media-code",
        "leicestershire-common-code-social-media-guidance",
    ):
        assert GuidanceDocument.objects.get(slug=slug).date_note.startswith("Undated")


def test_every_rule_links_at_least_one_clause_of_the_lga_code(lga_code):
    assert not GuidanceRule.objects.filter(clauses__isnull=True).exists()
    linked_codes = set(GuidanceRule.clauses.through.objects.values_list("clause__code__slug", flat=True))
    assert linked_codes == {lga_code.slug}


def test_rules_keep_both_kinds_and_the_lists_the_brief_names(loaded):
    ashford = GuidanceDocument.objects.get(slug="ashford-social-media-guidance")
    harass = ashford.rules.get(text="harass, bully or unlawfully discriminate against anyone")
    assert harass.kind == "dont"
    assert harass.section == "5. Your responsibilities when using social media"
    assert list(harass.clauses.values_list("number", flat=True)) == ["2"]
    # The bold "DO ... DO NOT ..." statement is split into a do and a don't.
    assert ashford.rules.filter(kind="dont", text__startswith="DO NOT express views on behalf of the Council").exists()
    logo = ashford.rules.get(text__contains="logo or letterhead")
    assert set(logo.clauses.values_list("number", flat=True)) == {"4", "7"}

    cambs = GuidanceDocument.objects.get(slug="cambridgeshire-social-media-code")
    assert cambs.rules.filter(section="Practices to avoid", kind="dont").count() == 9
    predetermination = cambs.rules.get(text__contains="suggests you have made your mind up")
    assert "6" in set(predetermination.clauses.values_list("number", flat=True))

    westminster = GuidanceDocument.objects.get(slug="westminster-social-media-guidance")
    assert westminster.rules.filter(section="Personal use of social media", kind="dont").count() == 4
    chelmsford = GuidanceDocument.objects.get(slug="chelmsford-social-media-protocol")
    assert chelmsford.rules.filter(section="Social media bad practice").count() == 4
    for document in GuidanceDocument.objects.all():
        kinds = set(document.rules.values_list("kind", flat=True))
        assert kinds == {"do", "dont"}, document.slug


def test_rule_text_is_cleaned_of_editing_marks(loaded):
    for text in GuidanceRule.objects.values_list("text", flat=True):
        assert "Formatted:" not in text
        assert "~~" not in text
        assert "[delete" not in text
        assert "**" not in text
        assert text == text.strip() and not text.endswith(";")
    bias = GuidanceRule.objects.get(document__slug="chelmsford-social-media-protocol", text__startswith="Bias")
    assert "quasi-judicial discussions" in bias.text and "decisions discussions" not in bias.text
    data_protection = GuidanceRule.objects.get(
        document__slug="chelmsford-social-media-protocol", text__startswith="Data protection"
    )
    assert "you should expect it to be published by others" not in data_protection.text


def test_the_lga_code_has_its_ten_general_obligations(lga_code):
    assert lga_code.authority is None
    assert lga_code.effective_from.isoformat() == "2021-01-01"
    clauses = list(lga_code.clauses.order_by("position"))
    assert {c.number: c.heading for c in clauses} == LGA_HEADINGS
    assert [c.number for c in clauses] == [str(n) for n in range(1, 11)]
    respect = clauses[0]
    assert "1.1 I treat other councillors and members of the public with respect." in respect.text
    assert "and respect the role they play." in respect.text
    assert respect.category == "respect"
    assert {c.category for c in clauses} == {
        "respect",
        "bullying",
        "impartiality",
        "confidentiality",
        "disrepute",
        "position",
        "resources",
        "compliance",
        "interests",
        "gifts",
    }
    for clause in clauses:
        assert 0 < len(clause.plain_english) <= 300
        assert clause.text.startswith("As a councillor:")


@pytest.mark.django_db
def test_rules_and_clauses_removed_from_the_data_are_removed_on_reload(data_copy):
    guidance_load()
    kept = GuidanceDocument.objects.create(slug="local-note", council="Somewhere", title="Note", date="2024-01-01")
    GuidanceRule.objects.create(document=kept, kind="do", text="Be kind", position=1)

    edit_yaml(data_copy / "guidance_documents.yaml", lambda d: d["documents"][3]["rules"].pop())
    edit_yaml(data_copy / "lga_model_code_2020.yaml", lambda d: d["clauses"].pop())  # clause 10: no rule cites it
    counts = guidance_load(data_dir=data_copy)

    assert counts["rules_removed"] == 1 and counts["clauses_removed"] == 1
    assert GuidanceRule.objects.filter(document__slug="leicestershire-common-code-social-media-guidance").count() == 10
    assert not Clause.objects.filter(code__slug="lga-model-code-2020", number="10").exists()
    assert kept.rules.count() == 1  # not in the data: left alone


@pytest.mark.django_db
def test_changed_wording_updates_the_rule_in_place(data_copy):
    guidance_load()
    before = GuidanceRule.objects.get(document__slug="ashford-social-media-guidance", position=12)

    def reword(data):
        data["documents"][1]["rules"][11]["text"] = "harass or bully anyone"
        data["documents"][1]["rules"][11]["clauses"] = [1, 2]

    edit_yaml(data_copy / "guidance_documents.yaml", reword)
    guidance_load(data_dir=data_copy)
    after = GuidanceRule.objects.get(pk=before.pk)
    assert after.text == "harass or bully anyone"
    assert set(after.clauses.values_list("number", flat=True)) == {"1", "2"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["documents"][0]["rules"][0].update(kind="maybe"), "kind must be one of"),
        (lambda d: d["documents"][0]["rules"][0].update(clauses=[]), "'clauses' is missing"),
        (lambda d: d["documents"][0]["rules"][0].update(clauses=[11]), "no clause 11"),
    ],
)
def test_bad_data_is_refused_and_nothing_is_written(data_copy, change, message):
    edit_yaml(data_copy / "guidance_documents.yaml", change)
    with pytest.raises(GuidanceDataError, match=message):
        guidance_load(data_dir=data_copy)
    assert not CodeOfConduct.objects.exists()
    assert not GuidanceDocument.objects.exists()


@pytest.mark.django_db
def test_a_plain_english_hint_over_300_characters_is_refused(data_copy):
    edit_yaml(data_copy / "lga_model_code_2020.yaml", lambda d: d["clauses"][0].update(plain_english="x" * 301))
    with pytest.raises(GuidanceDataError, match="plain_english is 301 characters"):
        guidance_load(data_dir=data_copy)


@pytest.mark.django_db
def test_load_guidance_command_loads_and_reports_counts():
    out = StringIO()
    call_command("load_guidance", stdout=out)
    call_command("load_guidance", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 2
    assert "1 code(s) with 10 clauses and 5 guidance document(s) with 149 rules" in lines[1]
    assert "removed 0 clauses and 0 rules" in lines[1]
    assert GuidanceRule.objects.count() == 149
