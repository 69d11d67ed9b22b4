"""Django's ModelBackend, reading what every officer request asks of its user in fewer queries.

Each signed-in request needs the user, their council (OfficerProfile), their roles (groups) and
their permissions. Read the usual way that is five queries: the user, the council, the groups,
then the user's own permissions and their groups' permissions apart. This backend reads the
user with their council (one join), and the groups with both kinds of permission in one query.
What it answers is ModelBackend's: tests/complaints/officer/test_backends.py compares the two
for every role.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import CharField, Value


def groups_and_permissions(user) -> tuple[frozenset[str], frozenset[str]]:
    """The names of the user's groups and their permissions ("app_label.codename", their own and
    their groups'), read in one query and kept on the user object for the request."""
    cached = getattr(user, "_standards_groups_and_permissions", None)
    if cached is None:
        from_groups = (
            Group.objects.filter(user=user)
            .order_by()
            .values_list("name", "permissions__content_type__app_label", "permissions__codename")
        )
        own = (
            Permission.objects.filter(user=user)
            .order_by()
            .values_list(Value(None, output_field=CharField()), "content_type__app_label", "codename")
        )
        groups, permissions = set(), set()
        for group, app_label, codename in from_groups.union(own, all=True):
            if group is not None:
                groups.add(group)
            if codename is not None:
                permissions.add(f"{app_label}.{codename}")
        cached = user._standards_groups_and_permissions = (frozenset(groups), frozenset(permissions))
    return cached


class OfficerModelBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("officer_profile").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                return super().get_all_permissions(user_obj, obj)
            user_obj._perm_cache = set(groups_and_permissions(user_obj)[1])
        return user_obj._perm_cache
