"""The public pages: the index, a code clause by clause, and a council's guidance."""

import datetime

import pytest
from django.urls import reverse

from guidance.models import Clause, CodeOfConduct, GuidanceDocument, GuidanceRule
from guidance.services import code_adopt


def test_index_lists_the_model_code_and_every_guidance_document(client, loaded):
    response = client.get(reverse("guidance:index"))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert "LGA Model Councillor Code of Conduct 2020" in content
    assert reverse("guidance:code", args=["lga-model-code-2020"]) in content
    for document in GuidanceDocument.objects.all():
        assert reverse("guidance:document", args=[document.slug]) in content
    assert "Cambridgeshire County Council" in content
    assert "acting as a councillor" in content


def test_index_lists_councils_codes_in_force_today_but_not_ended_ones(client, district, lga_code):
    code_adopt(
        authority=district,
        model_code=lga_code,
        effective_from=datetime.date(2012, 7, 1),
        effective_to=datetime.date(2019, 4, 30),
        slug="ashford-code-2012",
        title="Ashford old code",
    )
    code_adopt(authority=district, model_code=lga_code, effective_from=datetime.date(2019, 5, 1), slug="ashford-code")
    content = client.get(reverse("guidance:index")).content.decode()
    assert reverse("guidance:code", args=["ashford-code"]) in content
    assert "Ashford old code" not in content


def test_code_page_shows_each_clause_with_its_hint_and_the_guidance_explaining_it(client, lga_code):
    response = client.get(reverse("guidance:code", args=[lga_code.slug]))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1
    for clause in lga_code.clauses.all():
        assert f'id="clause-{clause.number}"' in content
        assert clause.heading in content
    assert "1.1 I treat other councillors and members of the public with respect." in content
    assert "Treating people with respect: no personal attacks" in content
    # Ashford 5.2.3 explains clause 2 and links back to its place in the guidance.
    assert "harass, bully or unlawfully discriminate against anyone" in content
    rule = GuidanceRule.objects.get(text="harass, bully or unlawfully discriminate against anyone")
    assert f"{reverse('guidance:document', args=[rule.document.slug])}#rule-{rule.position}" in content


def test_an_adopted_code_page_shows_the_council_and_its_other_versions(client, district, lga_code):
    old = code_adopt(
        authority=district,
        model_code=lga_code,
        effective_from=datetime.date(2012, 7, 1),
        effective_to=datetime.date(2019, 4, 30),
        slug="ashford-code-2012",
    )
    new = code_adopt(
        authority=district, model_code=lga_code, effective_from=datetime.date(2019, 5, 1), slug="ashford-code"
    )
    content = client.get(reverse("guidance:code", args=[new.slug])).content.decode()
    assert "Ashford Borough Council" in content
    assert reverse("guidance:code", args=[old.slug]) in content
    assert reverse("guidance:code", args=[lga_code.slug]) in content  # based on
    assert "do not bully any person" in content
    assert "harass, bully or unlawfully discriminate against anyone" in content


def test_document_page_groups_dos_and_donts_by_section_with_links_to_the_clauses(client, loaded):
    document = GuidanceDocument.objects.get(slug="ashford-social-media-guidance")
    response = client.get(reverse("guidance:document", args=[document.slug]))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert "Ashford Borough Council" in content
    assert "18 March 2019" in content
    sections = [section for section, _ in response.context["sections"]]
    assert sections == [
        "2. Social Media & the Council's Code of Conduct",
        "3. Business use of social media",
        "4. Personal use of social media",
        "5. Your responsibilities when using social media",
        "6. Online safety",
        "7. Data protection",
    ]
    assert sum(len(rules) for _, rules in response.context["sections"]) == 30
    assert "harass, bully or unlawfully discriminate against anyone" in content
    code_url = reverse("guidance:code", args=["lga-model-code-2020"])
    assert f'href="{code_url}#clause-2"' in content
    assert f'href="{code_url}#clause-7"' in content
    assert "Don&#x27;t" in content and ">Do<" in content


def test_every_guidance_document_page_renders(client, loaded):
    for document in GuidanceDocument.objects.all():
        response = client.get(reverse("guidance:document", args=[document.slug]))
        assert response.status_code == 200
        assert response.context["document"] == document
        assert document.rules.first().text.split()[0] in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["guidance:code", "guidance:document"])
def test_unknown_slugs_are_not_found(client, name):
    response = client.get(reverse(name, args=["no-such-thing"]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_primary_keys_are_not_accepted_in_urls(client, loaded):
    code = CodeOfConduct.objects.get(slug="lga-model-code-2020")
    assert client.get(f"/guidance/code/{code.pk}/").status_code == 404


@pytest.mark.django_db
def test_html_in_the_data_is_escaped(client):
    code = CodeOfConduct.objects.create(
        slug="evil", title="Code <i>one</i>", effective_from=datetime.date(2020, 1, 1), summary="<b>bold</b>"
    )
    clause = Clause.objects.create(
        code=code,
        number="1",
        heading="<em>Respect</em>",
        text="<script>alert('clause')</script>",
        plain_english="<img src=x onerror=alert(1)>",
        position=1,
    )
    document = GuidanceDocument.objects.create(
        slug="evil-guidance",
        council="<b>Council</b>",
        title="Guide",
        date=datetime.date(2020, 1, 1),
        summary="<script>alert('summary')</script>",
    )
    rule = GuidanceRule.objects.create(
        document=document, kind="dont", section="<h2>Section</h2>", text="<script>alert('rule')</script>", position=1
    )
    rule.clauses.add(clause)

    for url in (
        reverse("guidance:code", args=[code.slug]),
        reverse("guidance:document", args=[document.slug]),
        reverse("guidance:index"),
    ):
        content = client.get(url).content.decode()
        assert "<script>alert" not in content
        assert "<img src=x" not in content
        assert "<b>Council</b>" not in content
        assert "<em>Respect</em>" not in content
    content = client.get(reverse("guidance:document", args=[document.slug])).content.decode()
    assert "&lt;script&gt;alert(&#x27;rule&#x27;)&lt;/script&gt;" in content
    assert "&lt;h2&gt;Section&lt;/h2&gt;" in content


def test_index_url_name_is_kept(loaded):
    assert reverse("guidance:index") == "/guidance/"
