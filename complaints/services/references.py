"""Human references such as MO-2026-00042: unique and sequential per prefix and year."""

from django.db import IntegrityError, transaction
from django.db.models import F

from complaints.models import ReferenceCounter


def reference_next(*, prefix: str, year: int) -> str:
    """Issue the next reference. Must run inside the caller's transaction.

    The counter row is incremented with an UPDATE, which takes a row lock in PostgreSQL: two
    concurrent submissions queue on that row, so numbers are never repeated or skipped by a
    committed transaction.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reference_next must be called inside a transaction")
    updated = ReferenceCounter.objects.filter(prefix=prefix, year=year).update(last_number=F("last_number") + 1)
    if not updated:
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(prefix=prefix, year=year, last_number=1)
            number = 1
        except IntegrityError:
            # Another transaction created this year's counter first; queue on its row lock.
            ReferenceCounter.objects.filter(prefix=prefix, year=year).update(last_number=F("last_number") + 1)
            number = ReferenceCounter.objects.get(prefix=prefix, year=year).last_number
    else:
        number = ReferenceCounter.objects.get(prefix=prefix, year=year).last_number
    return f"{prefix}-{year}-{number:05d}"
