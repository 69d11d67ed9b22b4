"""The public register of decision notices: /decisions/ and each notice at /decisions/<id>/.

Only published, not withdrawn notices are shown, each as frozen at publication; any other address
answers 404. The filters come from the address (a GET form that works without JavaScript); a
value that is not on the lists gets a GOV.UK error message and is left out of the search.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from complaints.forms.notices import RegisterFilterForm
from complaints.models import Authority
from complaints.selectors.notices import (
    notice_view,
    register_councils,
    register_notice,
    register_notices,
    register_page,
    register_years,
)

ANCHORS = {"council": "council", "year": "year", "outcome": "outcome", "page": "results"}


@require_GET
def register(request):
    form = RegisterFilterForm(request.GET, councils=register_councils(), years=register_years())
    form.is_valid()
    data = form.cleaned_data
    errors = [
        (ANCHORS.get(name, "council"), message) for name, messages_ in form.errors.items() for message in messages_
    ]
    council_slug = data.get("council") or ""
    authority = Authority.objects.filter(slug=council_slug).first() if council_slug else None
    year = data.get("year")
    outcome = data.get("outcome") or ""
    number = data.get("page") or 1
    notices = register_notices(authority=authority, year=year, outcome=outcome)
    paginator, page = register_page(notices, number)
    if page is None and paginator.count and "page" not in form.errors:
        pages = paginator.num_pages
        errors.append(
            ("results", f"There is no page {number}: the register has {pages} page{'s' if pages != 1 else ''}")
        )
        paginator, page = register_page(notices, 1)
    query = request.GET.copy()
    query.pop("page", None)
    for name in form.errors:
        query.pop(name, None)
    context = {
        "form": form,
        "errors": errors,
        "form_has_errors": bool(errors),
        "field_errors": {name: list(messages_) for name, messages_ in form.errors.items()},
        "selected": {"council": council_slug, "year": str(year) if year else "", "outcome": outcome},
        "authority": authority,
        "filtered": bool(authority or year or outcome),
        "page": page,
        "count": paginator.count,
        "notices": [{"row": row, "notice": notice_view(row.content)} for row in (page.object_list if page else [])],
        "page_query": query.urlencode(),
        "page_numbers": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)) if page else [],
    }
    return render(request, "public/decisions/register.html", context, status=400 if errors else 200)


@require_GET
def notice(request, public_id):
    row = register_notice(public_id)
    return render(
        request, "public/decisions/notice.html", {"row": row, "notice": notice_view(row.content), "public": True}
    )


@require_GET
def notice_pdf(request, public_id):
    """The PDF made at publication from the same frozen content as the page."""
    row = register_notice(public_id)
    if row.document_id is None:
        raise Http404("This notice has no PDF.")
    document = row.document
    try:
        handle = document.file.storage.open(document.file.name, "rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    filename = f"decision-notice-{row.content.get('reference', row.public_id)}.pdf"
    response = FileResponse(handle, content_type="application/pdf", as_attachment=False, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
