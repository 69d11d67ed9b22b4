"""The roles of the Monitoring Officer's office, as groups with permissions, kept here in code.

`roles_apply()` creates or corrects the groups; it runs after every `migrate` (post_migrate) and
from `manage.py apply_roles`, and is idempotent. What each role may *see* is decided by the
scope permissions on Case (view_council_cases, view_appointed_cases, view_consulted_cases,
view_published_reports) read by complaints/access.py; the model permissions below decide what the
Django admin offers.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

MONITORING_OFFICER = "Monitoring Officer"
DEPUTY_MONITORING_OFFICER = "Deputy Monitoring Officer"
CASE_OFFICER = "Case officer"
INVESTIGATOR = "Investigator"
INDEPENDENT_PERSON = "Independent Person"
COMMITTEE_MEMBER = "Standards Committee member"
SYSTEM_ADMINISTRATOR = "System administrator"

ROLES = (
    MONITORING_OFFICER,
    DEPUTY_MONITORING_OFFICER,
    CASE_OFFICER,
    INVESTIGATOR,
    INDEPENDENT_PERSON,
    COMMITTEE_MEMBER,
    SYSTEM_ADMINISTRATOR,
)
# Roles that work in the officer workspace at all (the committee reads reports there too).
WORKSPACE_ROLES = ROLES

# Case content: the records a case is made of. Only roles with a case scope may view them.
_CASE_CONTENT = (
    "case",
    "complaint",
    "socialmediapost",
    "evidence",
    "assessment",
    "decision",
    "takedownrequest",
    "deadline",
    "event",
    "document",
    "outboxmessage",
    "consultation",
    "conflictofinterest",
    # The process: steps, reports, reviews, requests, invitations and published notices.
    "informalstep",
    "investigationreport",
    "reviewrequest",
    "informationrequest",
    "memberinvitation",
    "complainantrestriction",
    "decisionnotice",
)
# Records an officer reads but never edits directly: history, counters, generated documents, and
# decision notices (published and withdrawn only through the notice pages, which record it).
_READ_ONLY = ("event", "referencecounter", "document", "decisionnotice")
# Case content that only the Monitoring Officer and deputy change: treating a complainant as
# vexatious or persistent is their decision; case officers read it.
_DECIDED = ("complainantrestriction",)
_REGISTER = ("authority", "councillor", "socialmediaaccount")
_CODES = ("codeofconduct", "clause", "guidancedocument", "guidancerule")
# Each principal council's working-day calendar and public interest test: kept by the system
# administrator, read by officers. The Monitoring Officer also keeps the public interest test,
# which is the council's own published test.
_CALENDAR = ("closureday", "timelimit", "publicinterestquestion")
_MO_KEEPS = ("publicinterestquestion",)


def _perms(app: str, actions: tuple[str, ...], models: tuple[str, ...]) -> list[str]:
    return [f"{app}.{action}_{model}" for model in models for action in actions]


def _officer(*, edit: bool) -> list[str]:
    editable = tuple(m for m in _CASE_CONTENT + _REGISTER if m not in _READ_ONLY)
    if not edit:
        editable = tuple(m for m in editable if m not in _DECIDED)
    perms = ["complaints.view_council_cases"]
    perms += _perms("complaints", ("view",), _CASE_CONTENT + _REGISTER + _CALENDAR + ("referencecounter",))
    perms += _perms("complaints", ("change",), editable)
    perms += _perms("guidance", ("view",), _CODES)
    if edit:
        perms += _perms("complaints", ("add",), editable)
        perms += _perms("guidance", ("add", "change"), ("codeofconduct", "clause"))
        perms += ["complaints.view_published_reports", "complaints.decide_case", "complaints.report_investigation"]
    return perms


ROLE_PERMISSIONS: dict[str, list[str]] = {
    MONITORING_OFFICER: _officer(edit=True) + _perms("complaints", ("add", "change", "delete"), _MO_KEEPS),
    DEPUTY_MONITORING_OFFICER: _officer(edit=True),
    CASE_OFFICER: _officer(edit=False),
    INVESTIGATOR: ["complaints.view_appointed_cases", "complaints.report_investigation"]
    + _perms("complaints", ("view",), ("case", "complaint", "socialmediapost", "evidence", "event", "deadline"))
    + _perms("guidance", ("view",), _CODES),
    INDEPENDENT_PERSON: ["complaints.view_consulted_cases"]
    + _perms("complaints", ("view",), ("case", "complaint", "socialmediapost", "evidence", "assessment", "decision"))
    + ["complaints.change_consultation"]
    + _perms("guidance", ("view",), _CODES),
    COMMITTEE_MEMBER: ["complaints.view_published_reports"] + _perms("guidance", ("view",), _CODES),
    SYSTEM_ADMINISTRATOR: _perms("auth", ("view", "add", "change"), ("user", "group"))
    + _perms("complaints", ("view", "add", "change"), _REGISTER + ("officerprofile",))
    + _perms("complaints", ("view", "add", "change", "delete"), _CALENDAR)
    + _perms("guidance", ("view", "add", "change"), _CODES),
}


def roles_apply() -> dict[str, Group]:
    """Create each role's group and give it exactly its permissions. Safe to run any number of times."""
    wanted = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    found = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type").filter(
            content_type__app_label__in={name.split(".")[0] for name in wanted}
        )
    }
    missing = sorted(wanted - found.keys())
    if missing:
        raise LookupError(f"Permissions not found (run migrate first): {', '.join(missing)}")
    groups = {}
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        target = {found[name] for name in perms}
        if set(group.permissions.all()) != target:
            group.permissions.set(target)
        groups[role] = group
    return groups


def user_roles(user) -> set[str]:
    """The role names a user holds (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_standards_roles", None)
    if cached is None:
        from complaints.backends import groups_and_permissions

        cached = user._standards_roles = {name for name in groups_and_permissions(user)[0] if name in ROLES}
    return cached


def is_officer(user) -> bool:
    """Whether the user may use the officer workspace at all (what they see there is access.py's)."""
    return bool(getattr(user, "is_authenticated", False) and (user.is_superuser or user_roles(user)))
