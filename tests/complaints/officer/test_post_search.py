"""Each case's search document follows its posts however they are written (PostgreSQL trigger,
complaints/models/post_search.py), seen through the dashboard's search over HTTP."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.utils import timezone

from complaints.models import Case, SocialMediaPost, post_search
from complaints.models.post_search import REFRESH_ALL
from tests.complaints.officer.dashboard_data import TODAY, make_case
from tests.complaints.officer.signin import sign_in

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
URL = "/officer/"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def mo(client, world):
    sign_in(client, world["users"]["mo"])
    return client


@pytest.fixture
def northmoor(world):
    return world["councils"]["northmoor"]


def found(client, words: str) -> list[str]:
    response = client.get(URL, {"q": words})
    assert response.status_code == 200
    return [row.reference for row in response.context["rows"]]


def test_a_new_post_is_searchable_at_once(mo, northmoor):
    case = make_case(northmoor, text="Fly-tipping in the cemetery again.")
    assert found(mo, "cemetery") == [case.reference]


def test_a_posts_changed_text_replaces_its_old_words(mo, northmoor):
    case = make_case(northmoor, text="The allotments are a disgrace.")
    # A bulk update, as an anonymisation or a script would write it: the trigger still sees it.
    SocialMediaPost.objects.filter(case=case).update(text_reported="[removed]")
    assert found(mo, "allotments") == []
    SocialMediaPost.objects.filter(case=case).update(text_reported="Potholes on the bypass.")
    assert found(mo, "potholes") == [case.reference]


def test_a_post_moved_to_another_case_is_found_there_and_no_longer_in_its_old_case(mo, northmoor):
    old = make_case(northmoor, text="Graffiti on the bandstand.")
    new = make_case(northmoor, text="Another post.")
    SocialMediaPost.objects.filter(case=old).update(case=new)
    assert found(mo, "bandstand") == [new.reference]


def test_a_deleted_post_is_no_longer_found(mo, northmoor):
    case = make_case(northmoor, text="Noise from the marina.")
    SocialMediaPost.objects.filter(case=case).delete()
    assert found(mo, "marina") == []


def test_a_case_is_found_by_words_from_any_of_its_posts(mo, northmoor):
    case = make_case(northmoor, text="Vermin everywhere.", complaints=2)
    first, second = SocialMediaPost.objects.filter(case=case).order_by("pk")
    SocialMediaPost.objects.filter(pk=second.pk).update(text_reported="On the estate.")
    SocialMediaPost.objects.filter(pk=first.pk).update(text_reported="Vermin everywhere.")
    assert found(mo, "vermin estate") == [case.reference]


def test_rebuilding_every_document_gives_what_the_trigger_kept(mo, northmoor):
    make_case(northmoor, text="Litter by the library.", complaints=3)
    make_case(northmoor, text="Parking on the green.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, post_search::text FROM complaints_case ORDER BY id")
        kept = cursor.fetchall()
        cursor.execute(REFRESH_ALL)
        cursor.execute("SELECT id, post_search::text FROM complaints_case ORDER BY id")
        assert cursor.fetchall() == kept
    assert Case.objects.count() >= 2 and any(words for _, words in kept)


def test_a_bulk_load_leaves_the_documents_to_its_end_and_then_fills_every_one(mo, northmoor):
    with transaction.atomic():
        post_search.bulk_load_begin(connection)
        case = make_case(northmoor, text="Flooding by the footbridge.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT post_search FROM complaints_case WHERE id = %s", [case.pk])
            assert cursor.fetchone() == (None,)
        post_search.bulk_load_end(connection)
    assert found(mo, "footbridge") == [case.reference]
    # After the load the trigger keeps the documents again.
    later = make_case(northmoor, text="Overgrown hedges.")
    assert found(mo, "hedges") == [later.reference]
