"""Checking that the recorded history of cases is whole and unaltered."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from complaints.models import Event
from complaints.models.event_guard import UnsupportedDatabase, event_guard_missing
from complaints.models.events import event_hash

_FIELDS = (
    "pk",
    "case_id",
    "case__reference",
    "sequence",
    "kind",
    "actor_id",
    "actor_label",
    "description",
    "details",
    "created_at",
    "previous_hash",
    "entry_hash",
)


@dataclass(frozen=True)
class HistoryBreak:
    case_reference: str
    event_id: int | None
    sequence: int | None
    problem: str

    def __str__(self) -> str:
        where = f"case {self.case_reference}" if self.case_reference else "event table"
        if self.event_id is not None:
            where += f", event {self.event_id} (number {self.sequence} in the case)"
        return f"{where}: {self.problem}"


def history_guard_breaks() -> list[HistoryBreak]:
    """The database triggers that refuse UPDATE and DELETE of events, if any is missing."""
    try:
        missing = event_guard_missing(connection)
    except UnsupportedDatabase as exc:
        return [HistoryBreak("", None, None, str(exc))]
    return [HistoryBreak("", None, None, f"append-only trigger {name} is missing or disabled") for name in missing]


def history_breaks(*, case_reference: str | None = None):
    """Yield every place where a case's chain of events does not hold.

    Each event must be numbered one after the one before, name that event's hash as its
    previous hash, and hash to the value it carries. An edited row fails the last test; a removed
    or inserted row fails the first two at the event after it.
    """
    events = Event.objects.order_by("case_id", "sequence", "pk")
    if case_reference:
        events = events.filter(case__reference=case_reference)
    case_id = None
    expected_sequence, expected_previous = 1, ""
    for row in events.values(*_FIELDS).iterator(chunk_size=2000):
        if row["case_id"] != case_id:
            case_id, expected_sequence, expected_previous = row["case_id"], 1, ""

        def found(problem: str, row=row) -> HistoryBreak:
            return HistoryBreak(row["case__reference"], row["pk"], row["sequence"], problem)

        if row["sequence"] != expected_sequence:
            if row["sequence"] > expected_sequence:
                yield found(f"event number {expected_sequence} to {row['sequence'] - 1} missing before it")
            else:
                yield found(f"numbered {row['sequence']} but follows number {expected_sequence - 1}")
        if row["previous_hash"] != expected_previous:
            yield found("does not link to the event before it (previous hash differs)")
        recomputed = event_hash(
            case_id=row["case_id"],
            sequence=row["sequence"],
            kind=row["kind"],
            actor_id=row["actor_id"],
            actor_label=row["actor_label"],
            description=row["description"],
            details=row["details"],
            created_at=row["created_at"],
            previous_hash=row["previous_hash"],
        )
        if recomputed != row["entry_hash"]:
            yield found("content was changed after it was recorded (hash does not match)")
        expected_sequence, expected_previous = row["sequence"] + 1, row["entry_hash"]
