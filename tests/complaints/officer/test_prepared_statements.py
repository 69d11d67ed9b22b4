"""On PostgreSQL the app's database connection prepares the statements it runs often
(config/settings.py: server-side parameters, psycopg's prepare threshold), so a page's queries are
planned once per connection instead of on every request. Seen here through HTTP, on the same
connection the test client's requests use.
"""

from __future__ import annotations

import pytest
from django.db import connection

from tests.complaints.officer.signin import sign_in

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def _listed(response) -> list[str]:
    assert response.status_code == 200
    return [row.reference for row in response.context["rows"]]


def test_the_connection_prepares_the_dashboards_queries_once_they_are_run_often(client, world):
    sign_in(client, world["users"]["mo"])
    assert connection.settings_dict["OPTIONS"]["prepare_threshold"] == 5
    for _ in range(6):
        assert client.get("/officer/").status_code == 200
    prepared = _prepared_statements()
    # The counts of open cases by stage, with its parameters sent apart ($1, $2, ...).
    assert any('FROM "complaints_case"' in statement and "$1" in statement for statement in prepared), prepared


def test_a_prepared_search_answers_each_new_word_with_its_own_cases(client, world):
    sign_in(client, world["users"]["mo"])
    northmoor, parish = world["cases"]["northmoor"], world["cases"]["parish"]
    for _ in range(6):
        assert _listed(client.get("/officer/", {"q": northmoor.reference})) == [northmoor.reference]
    assert any("websearch_to_tsquery" in statement for statement in _prepared_statements())
    # The same statement, now prepared, with other words: each gets its own answer.
    assert _listed(client.get("/officer/", {"q": parish.reference})) == [parish.reference]
    assert _listed(client.get("/officer/", {"q": "Complainant 2"})) == [parish.reference]
    assert _listed(client.get("/officer/", {"q": world["cases"]["southshire"].reference})) == []
