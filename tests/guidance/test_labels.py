"""The guidance pages say whose words they show: the council's own code, or other councils' guidance."""

import datetime

from django.urls import reverse

from guidance.services import code_adopt


def test_an_adopted_code_page_describes_that_code_not_the_model_it_copied(client, district, lga_code):
    code = code_adopt(authority=district, model_code=lga_code, effective_from=datetime.date(2021, 5, 20))
    body = client.get(reverse("guidance:code", args=[code.slug])).content.decode()
    assert "This is the code of conduct that Ashford Borough Council adopted for its councillors" in body
    assert "in force from 20 May 2021" in body
    assert "It is based on the LGA Model Councillor Code of Conduct 2020." in body
    assert "The model code of conduct for councillors published by the Local Government Association" not in body


def test_the_model_code_page_keeps_its_own_description(client, lga_code):
    body = client.get(reverse("guidance:code", args=[lga_code.slug])).content.decode()
    assert "The model code of conduct for councillors published by the Local Government Association" in body


def test_other_councils_social_media_guidance_is_labelled_as_reference_material(client, loaded, settings):
    settings.COUNCIL_NAME = "Northmoor District Council"
    index = client.get(reverse("guidance:index")).content.decode()
    assert "Reference: other councils' social media guidance" in index
    assert "It is not Northmoor District Council's own guidance" in index
    assert index.count("reference material from another council") == 5
    document = client.get(reverse("guidance:document", args=["ashford-social-media-guidance"])).content.decode()
    assert "reference material from another council" in document
    assert "It is not Northmoor District Council's guidance" in document


def test_guidance_quoted_on_a_code_page_is_labelled_as_from_other_councils(client, lga_code):
    body = client.get(reverse("guidance:code", args=[lga_code.slug])).content.decode()
    assert "Other councils' social media guidance on this part" in body
    assert "it is not part of this code" in body
