"""Serving evidence files. This is the only way stored evidence leaves the private storage area."""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath

from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from complaints.access import evidence_item_for
from complaints.models import EventKind, Evidence
from complaints.services.events import event_record
from complaints.services.evidence_files import EXTENSIONS
from complaints.views.officer.auth import signin_step_url

ORIGINAL = "original"
DISPLAY = "display"
_COPY_LABELS = {ORIGINAL: "original", DISPLAY: "display copy"}


@require_GET
def original(request, public_id):
    """The exact bytes as uploaded, always as a download so a browser never renders them."""
    return _serve(request, public_id, ORIGINAL)


@require_GET
def display(request, public_id):
    """The re-encoded, metadata-free copy that is safe to show inline."""
    return _serve(request, public_id, DISPLAY)


def _serve(request, public_id, copy: str):
    # Signed in with a password and a code, as for the officer workspace; no role check here:
    # the access rule below answers 404 to anyone who may not see this evidence.
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_verified():
        return redirect(signin_step_url(request, request.get_full_path()))
    # The evidence access rule (complaints/access.py): 404 for anything the user may not see.
    evidence = evidence_item_for(request.user, public_id)
    field = evidence.original if copy == ORIGINAL else evidence.display
    if not field.name:
        raise Http404("This evidence has no such copy.")
    try:
        handle = field.storage.open(field.name, "rb")
    except FileNotFoundError:
        raise Http404("The evidence file is missing.") from None
    try:
        _record_view(request, evidence, copy)
    except BaseException:
        handle.close()
        raise
    return _file_response(handle, evidence, copy)


def _record_view(request, evidence: Evidence, copy: str) -> None:
    with transaction.atomic():
        event_record(
            case=evidence.case,
            kind=EventKind.EVIDENCE_VIEWED,
            description=f"Viewed {_COPY_LABELS[copy]} of {evidence.original_name}",
            actor=request.user,
            details={"evidence_public_id": str(evidence.public_id), "copy": copy},
        )


def _file_response(handle, evidence: Evidence, copy: str) -> FileResponse:
    if copy == ORIGINAL:
        content_type = evidence.content_type
        filename = _download_name(evidence.original_name, EXTENSIONS.get(content_type, "bin"))
    else:
        content_type = mimetypes.guess_type(evidence.display.name)[0] or "application/octet-stream"
        filename = _download_name(evidence.original_name, PurePosixPath(evidence.display.name).suffix.lstrip("."))
    response = FileResponse(handle, as_attachment=copy == ORIGINAL, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _download_name(original_name: str, extension: str) -> str:
    """The uploaded name with the extension of what the file really is (not 'holiday.exe')."""
    stem = PurePosixPath(original_name.replace("\\", "/")).stem
    stem = "".join(ch for ch in stem if ch.isprintable()).strip() or "evidence"
    return f"{stem}.{extension}"
