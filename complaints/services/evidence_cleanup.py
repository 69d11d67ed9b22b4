"""Removing evidence files that were uploaded to a complaint never sent.

Files are stored the moment they are uploaded so that nothing is lost between pages. If the
complainant never sends the complaint, those files would otherwise stay on disk indefinitely,
holding personal data with no case to justify it.
"""

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone

from complaints.models import Evidence
from complaints.services.evidence_files import DISPLAY_DIR, ORIGINALS_DIR


def evidence_unsent_purge(*, older_than: timedelta | None = None) -> int:
    """Delete stored uploads that no Evidence row refers to and that are older than the cut-off.

    The cut-off is far longer than a session lasts, so a draft still being written keeps its files.
    """
    older_than = older_than or timedelta(hours=settings.EVIDENCE_UNSENT_MAX_AGE_HOURS)
    cutoff = timezone.now() - older_than
    removed = 0
    for folder in (ORIGINALS_DIR, DISPLAY_DIR):
        try:
            _, names = default_storage.listdir(folder)
        except FileNotFoundError:
            continue
        paths = [f"{folder}{name}" for name in names]
        kept = set(
            Evidence.objects.filter(Q(original__in=paths) | Q(display__in=paths)).values_list("original", "display")
        )
        kept_paths = {path for pair in kept for path in pair}
        for path in paths:
            if path in kept_paths or default_storage.get_modified_time(path) >= cutoff:
                continue
            default_storage.delete(path)
            removed += 1
    return removed
