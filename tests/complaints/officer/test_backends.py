"""The sign-in backend (complaints/backends.py) answers as Django's ModelBackend, in fewer queries."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.backends import OfficerModelBackend
from tests.complaints.officer.signin import sign_in

pytestmark = pytest.mark.django_db


def fresh(user):
    return User.objects.get(pk=user.pk)


def test_every_role_has_the_permissions_modelbackend_gives_it(world):
    for name, user in world["users"].items():
        ours = OfficerModelBackend().get_all_permissions(fresh(user))
        django = ModelBackend().get_all_permissions(fresh(user))
        assert ours == django, name
        assert OfficerModelBackend().has_perm(fresh(user), "complaints.view_council_cases") == ModelBackend().has_perm(
            fresh(user), "complaints.view_council_cases"
        ), name


def test_a_permission_given_to_the_user_directly_counts_as_well_as_their_groups(world):
    user = world["users"]["committee_member"]
    user.user_permissions.add(Permission.objects.get(codename="change_case"))
    permissions = OfficerModelBackend().get_all_permissions(fresh(user))
    assert "complaints.change_case" in permissions
    assert "complaints.view_published_reports" in permissions
    assert permissions == ModelBackend().get_all_permissions(fresh(user))


def test_an_inactive_user_has_no_permissions(world):
    user = world["users"]["mo"]
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert OfficerModelBackend().get_all_permissions(fresh(user)) == set()
    assert OfficerModelBackend().get_user(user.pk) is None


def test_a_superuser_has_every_permission():
    admin = User.objects.create_superuser("root", password="pw")
    assert OfficerModelBackend().get_all_permissions(fresh(admin)) == ModelBackend().get_all_permissions(fresh(admin))
    assert "complaints.decide_case" in OfficerModelBackend().get_all_permissions(fresh(admin))


def test_the_signed_in_user_comes_with_their_council_and_without_one_when_they_have_none(world):
    officer = OfficerModelBackend().get_user(world["users"]["mo"].pk)
    investigator = OfficerModelBackend().get_user(world["users"]["investigator"].pk)
    with CaptureQueriesContext(connection) as queries:
        assert officer.officer_profile.authority_id == world["councils"]["northmoor"].pk
        assert not hasattr(investigator, "officer_profile")
    assert len(queries) == 0
    assert OfficerModelBackend().get_user(999_999) is None


def test_the_roles_are_the_users_groups_read_with_the_permissions(world):
    from complaints import roles
    from complaints.backends import groups_and_permissions

    for name, user in world["users"].items():
        user = fresh(user)
        assert roles.user_roles(user) == set(user.groups.values_list("name", flat=True)), name
    committee = fresh(world["users"]["committee_member"])
    with CaptureQueriesContext(connection) as queries:
        groups, permissions = groups_and_permissions(committee)
        assert roles.user_roles(committee) == {roles.COMMITTEE_MEMBER}
        assert committee.has_perm("complaints.view_published_reports")
        assert not committee.has_perm("complaints.view_council_cases")
    assert len(queries) == 1
    assert groups == {roles.COMMITTEE_MEMBER} and "complaints.view_published_reports" in permissions


def test_an_officer_page_reads_roles_and_permissions_in_one_query_and_the_council_with_the_user(client, world):
    sign_in(client, world["users"]["mo"])
    assert client.session[BACKEND_SESSION_KEY] == "complaints.backends.OfficerModelBackend"
    assert client.session[SESSION_KEY] == str(world["users"]["mo"].pk)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("officer:case", args=[world["cases"]["northmoor"].reference]))
    assert response.status_code == 200
    sql = [query["sql"] for query in queries.captured_queries]
    assert sum("auth_permission" in statement or "auth_group" in statement for statement in sql) == 1
    assert not any(statement.lstrip().startswith('SELECT "complaints_officerprofile"') for statement in sql)
