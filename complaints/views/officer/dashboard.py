"""The triage dashboard (/officer/), its queues, bulk assignment and the possible-duplicates actions.

Every list, count and choice starts from `access.cases_for(request.user)`, read once per request.
Filters are GET parameters, so any view of the list can be bookmarked; every value is validated,
and a bad one is shown as a GOV.UK error message (400), never a 500 and never silently ignored.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from complaints import access
from complaints.forms.officer import BulkAssignForm, DashboardFilterForm, DuplicateDismissForm, DuplicateLinkForm
from complaints.models import Stage
from complaints.selectors.dashboard import (
    ROW_COLUMNS,
    CountedPaginator,
    SearchPaginator,
    council_choices,
    dashboard_condition,
    dashboard_counts,
    dashboard_order,
    dashboard_rows,
    full_text_available,
    officer_choices,
    only_open_cases_listed,
)
from complaints.selectors.duplicates import duplicate_groups
from complaints.selectors.outbox import failed_messages
from complaints.selectors.takedowns import takedown_requests_overdue
from complaints.services.assignment import cases_assign
from complaints.services.duplicates import complaints_link, duplicate_dismiss
from complaints.views.officer.auth import officer_required, reauth_required

ASSIGN_PERMISSION = "complaints.change_case"
LINK_PERMISSION = "complaints.change_case"
# Column headings of the sortable table: (sort key or None, label).
COLUMNS = (
    ("reference", "Reference"),
    ("received", "Received"),
    (None, "Councillor"),
    (None, "Council"),
    ("stage", "Stage"),
    (None, "Platform"),
    (None, "Complaints"),
    (None, "Officer"),
    ("due", "Next due"),
)


def _query_without(query: QueryDict, *names: str) -> str:
    copy = query.copy()
    for name in names:
        copy.pop(name, None)
    return copy.urlencode()


def _remove_link(query: QueryDict, parameter: str) -> str:
    """The query string without one filter (a `name=value` pair or every value of `name`)."""
    copy = query.copy()
    copy.pop("page", None)
    if "=" in parameter:
        name, value = parameter.split("=", 1)
        copy.setlist(name, [v for v in copy.getlist(name) if v != value])
    else:
        for name in list(copy):
            if name == parameter or name.startswith(f"{parameter}_"):
                copy.pop(name)
    return copy.urlencode()


def _selected(form, query: QueryDict) -> list[tuple[str, list[tuple[str, str]]]]:
    """MoJ "selected filters": each heading with its tags, each tag linking to the list without it."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for heading, label, parameter in form.selected_tags():
        grouped.setdefault(heading, []).append((label, _remove_link(query, parameter)))
    return list(grouped.items())


def _sort_headers(query: QueryDict, filters) -> list[dict]:
    base = _query_without(query, "sort", "order", "page")
    headers = []
    for key, label in COLUMNS:
        header = {"label": label, "key": key}
        if key is not None:
            current = filters.sort == key if filters else key == "due"
            descending = bool(filters and filters.descending)
            header["aria_sort"] = ("descending" if descending else "ascending") if current else "none"
            order = "asc" if not current or descending else "desc"
            header["href"] = "?" + "&".join(part for part in (base, f"sort={key}&order={order}") if part)
        headers.append(header)
    return headers


def _error_list(form) -> list[tuple[str, str]]:
    """(anchor, message) for every error, hidden fields (sort, order, page) included."""
    anchors = {
        "stage": "id_stage_1",
        "platform": "id_platform_1",
        "clause": "id_clause_1",
        "received_from": "id_received_from_0",
        "received_to": "id_received_to_0",
        "sort": "dashboard-results",
        "order": "dashboard-results",
        "page": "dashboard-results",
        "q": "id_q",
    }
    errors = []
    for name, messages_ in form.errors.items():
        anchor = anchors.get(name, f"id_{name}") if name != "__all__" else "id_q"
        errors += [(anchor, message) for message in messages_]
    return errors


def _case_list(request, *, new_unassigned: bool, assign_form=None, query: QueryDict | None = None, status=200):
    user = request.user
    query = request.GET if query is None else query
    visible = access.cases_for(user)
    today = timezone.localdate()
    officers = officer_choices(user)
    councils = council_choices(user, visible)
    form = DashboardFilterForm(query, councils=councils, officers=officers)
    filters = form.filters(new_unassigned=new_unassigned) if form.is_valid() else None
    condition = None
    if filters is not None:
        condition = dashboard_condition(filters, today=today)
    # A list of open cases is counted by the counts' query (one query fewer).
    listed = condition if filters is not None and not filters.query and only_open_cases_listed(filters) else None
    counts = dashboard_counts(visible, today=today, listed=listed)
    context = {
        "form": form,
        "new_unassigned": new_unassigned,
        "counts": counts,
        "failed_messages": failed_messages(user).count(),
        "takedowns_overdue": takedown_requests_overdue(cases=visible.values("pk"), today=today).count(),
        "today": today,
        "full_text": full_text_available(),
        "can_assign": user.has_perm(ASSIGN_PERMISSION),
        "assign_officers": officers,
        "assign_form": assign_form,
        "return_query": query.urlencode(),
        "date_parts": ((0, "Day", 2), (1, "Month", 2), (2, "Year", 4)),
        "dashboard_url": reverse("officer:dashboard"),
    }
    if filters is not None:
        cases = visible.filter(condition).order_by(*dashboard_order(filters))
        number = form.cleaned_data.get("page") or 1
        if filters.query:
            paginator = SearchPaginator(cases, settings.DASHBOARD_PAGE_SIZE, number=number)
        elif counts.listed is not None:
            paginator = CountedPaginator(
                cases.values_list(*ROW_COLUMNS), settings.DASHBOARD_PAGE_SIZE, count=counts.listed
            )
        else:
            paginator = Paginator(cases.values_list(*ROW_COLUMNS), settings.DASHBOARD_PAGE_SIZE)
        if number > paginator.num_pages:
            form.add_error(
                "page",
                f"There is no page {number}: the list has {paginator.num_pages} "
                f"page{'s' if paginator.num_pages != 1 else ''}",
            )
        else:
            page = paginator.page(number)
            context.update(
                page=page,
                rows=dashboard_rows(
                    list(page.object_list),
                    today=today,
                    councils=[council for principal, locals_ in councils for council in (principal, *locals_)],
                    officers=officers,
                ),
                page_query=_query_without(query, "page"),
                page_numbers=list(paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)),
                selected=_selected(form, query),
            )
    context["headers"] = _sort_headers(query, filters)
    context["errors"] = _error_list(form) if form.errors else []
    if assign_form is not None and assign_form.errors:
        context["errors"] += [
            ("id_assign_officer", message) for messages_ in assign_form.errors.values() for message in messages_
        ]
    context["form_has_errors"] = bool(context["errors"])
    if context["errors"]:
        status = 400
    return render(request, "officer/dashboard.html", context, status=status)


@require_GET
@officer_required
def dashboard(request):
    return _case_list(request, new_unassigned=False)


@require_GET
@officer_required
def new_cases(request):
    return _case_list(request, new_unassigned=True)


def _return_query(request) -> QueryDict:
    return QueryDict(request.POST.get("return_query", ""), mutable=False)


def _return_url(request, name: str, query: QueryDict) -> str:
    url = reverse(name)
    if query:
        url += "?" + query.urlencode()
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}) else reverse(name)


@require_POST
@officer_required
@reauth_required
def assign(request):
    """Assign the ticked cases to one officer: one service call, an event on every case changed."""
    if not request.user.has_perm(ASSIGN_PERMISSION):
        raise PermissionDenied("Your role cannot assign cases.")
    visible = access.cases_for(request.user)
    posted = request.POST.getlist("cases")
    references = list(visible.filter(reference__in=posted[:1000]).values_list("reference", flat=True))
    form = BulkAssignForm(request.POST, officers=officer_choices(request.user), references=references)
    new_unassigned = request.POST.get("queue") == "new"
    list_name = "officer:new_cases" if new_unassigned else "officer:dashboard"
    query = _return_query(request)
    if not form.is_valid():
        return _case_list(request, new_unassigned=new_unassigned, assign_form=form, query=query, status=400)
    cases = list(visible.filter(reference__in=form.cleaned_data["cases"]))
    officer = form.chosen_officer()
    changed = cases_assign(cases=cases, officer=officer, actor=request.user)
    who = (officer.get_full_name() or officer.get_username()) if officer else "nobody"
    count = len(changed)
    if count:
        messages.success(request, f"{count} case{'s' if count != 1 else ''} assigned to {who}")
    else:
        messages.info(request, f"The selected cases were already assigned to {who}")
    return redirect(_return_url(request, list_name, query))


@require_GET
@officer_required
def duplicates(request):
    groups = duplicate_groups(access.cases_for(request.user))
    return render(
        request,
        "officer/duplicates.html",
        {
            "groups": groups,
            "can_link": request.user.has_perm(LINK_PERMISSION),
            "max_distance": settings.DUPLICATE_SCREENSHOT_MAX_DISTANCE,
            # The hidden token field, made once for the page's many small forms (two a row).
            "csrf_input": csrf_input(request),
        },
    )


@require_POST
@officer_required
def duplicates_link(request):
    """Link one suggested complaint, or every complaint suggested for a case, into that case."""
    if not request.user.has_perm(LINK_PERMISSION):
        raise PermissionDenied("Your role cannot link complaints.")
    form = DuplicateLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the complaints to link and the case to link them into")
        return redirect("officer:duplicates")
    into = access.case_for(request.user, form.cleaned_data["into"])
    references = form.cleaned_data["complaints"]
    complaints = list(access.complaints_for(request.user).filter(reference__in=references).select_related("case"))
    if len(complaints) != len(references):
        # A reference the user may not see answers as if it did not exist.
        raise Http404("No such complaint.")
    if into.stage == Stage.CLOSED:
        messages.error(request, f"Case {into.reference} is closed: reopen it before linking complaints into it")
        return redirect("officer:duplicates")
    linked = complaints_link(complaints=complaints, into=into, actor=request.user)
    count = len(linked)
    messages.success(request, f"{count} complaint{'s' if count != 1 else ''} linked into case {into.reference}")
    return redirect("officer:duplicates")


@require_POST
@officer_required
def duplicates_dismiss(request):
    if not request.user.has_perm(LINK_PERMISSION):
        raise PermissionDenied("Your role cannot change cases.")
    form = DuplicateDismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the suggestion to dismiss")
        return redirect("officer:duplicates")
    complaint = access.complaint_for(request.user, form.cleaned_data["complaint"])
    case = access.case_for(request.user, form.cleaned_data["case"])
    duplicate_dismiss(complaint=complaint, case=case, actor=request.user)
    messages.success(request, f"Complaint {complaint.reference} will no longer be suggested for case {case.reference}")
    return redirect("officer:duplicates")
