"""events_record_many: a batch of events in one INSERT, chained exactly as event_record chains them."""

import threading
import uuid
from datetime import date

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints.models import Case, Event, EventKind, ImmutableEventError
from complaints.services.events import NewEvent, event_record, events_record_many
from tests.complaints.test_history import run_verify
from tests.factories import make_district


def _cases(count, *, first=1):
    authority = make_district(name=f"Council {first}", slug=f"council-{first}")
    return [
        Case.objects.create(reference=f"MO-2026-{n:05d}", authority=authority, opened_at=timezone.now())
        for n in range(first, first + count)
    ]


def _chain(case):
    return list(
        Event.objects.filter(case=case).order_by("sequence").values_list("sequence", "previous_hash", "entry_hash")
    )


@pytest.mark.django_db
def test_a_batch_over_several_cases_continues_each_cases_chain_and_verify_history_accepts_it():
    old, fresh, busy = _cases(3)
    event_record(case=old, kind=EventKind.NOTE, description="before")
    event_record(case=old, kind=EventKind.NOTE, description="before again")
    entries = [
        NewEvent(case_id=busy.pk, kind=EventKind.REMINDER_SENT, description="one", details={"n": 1}),
        NewEvent(case_id=old.pk, kind=EventKind.REMINDER_SENT, description="old", details={"on": date(2027, 1, 4)}),
        NewEvent(case_id=busy.pk, kind=EventKind.DEADLINE_ESCALATED, description="two", details={"id": uuid.uuid4()}),
        NewEvent(case_id=fresh.pk, kind=EventKind.NOTE, description="first ever"),
        NewEvent(case_id=busy.pk, kind=EventKind.NOTE, description="three"),
    ]
    events = events_record_many(entries)

    assert [e.pk is not None for e in events] == [True] * 5
    assert [(e.case_id, e.sequence) for e in events] == [
        (busy.pk, 1),
        (old.pk, 3),
        (busy.pk, 2),
        (fresh.pk, 1),
        (busy.pk, 3),
    ]
    for case in (old, fresh, busy):
        chain = _chain(case)
        assert [sequence for sequence, _, _ in chain] == list(range(1, len(chain) + 1))
        assert chain[0][1] == ""
        assert all(chain[n][1] == chain[n - 1][2] for n in range(1, len(chain)))
    # What the database gives back hashes to what was recorded (dates and UUIDs normalised first).
    for event in Event.objects.all():
        assert event.entry_hash == event.compute_hash()
    assert [e.description for e in Event.objects.filter(case=busy).order_by("sequence")] == ["one", "two", "three"]
    assert {e.actor_label for e in events} == {"System"}
    code, out, err = run_verify()
    assert code == 0, err
    assert "History intact: 7 event(s) checked." in out
    # And event_record carries on from where the batch left off.
    assert event_record(case=busy, kind=EventKind.NOTE, description="four").sequence == 4
    assert run_verify()[0] == 0


@pytest.mark.django_db
def test_a_batch_writes_what_event_record_would_have_written():
    [one] = _cases(1)
    at = timezone.now()
    [batched] = events_record_many(
        [NewEvent(case_id=one.pk, kind=EventKind.NOTE, description="x" * 600, details={"on": date(2027, 1, 4)})],
        actor_label="Sam Officer",
        at=at,
    )
    [other] = _cases(1, first=2)
    single = event_record(
        case=other,
        kind=EventKind.NOTE,
        description="x" * 600,
        actor_label="Sam Officer",
        details={"on": date(2027, 1, 4)},
        at=at,
    )
    fields = ("kind", "actor_id", "actor_label", "description", "details", "created_at", "sequence", "previous_hash")
    assert [getattr(batched, f) for f in fields] == [getattr(single, f) for f in fields]
    assert len(batched.description) == 500 and batched.description.endswith("…")


@pytest.mark.django_db
def test_a_batch_costs_the_same_few_queries_however_many_events_it_writes():
    cases = _cases(40)

    def queries(count):
        entries = [NewEvent(case_id=cases[n % 40].pk, kind=EventKind.NOTE, description=f"e{n}") for n in range(count)]
        with CaptureQueriesContext(connections["default"]) as captured:
            events_record_many(entries)
        return len(captured.captured_queries)

    assert queries(3) == queries(90) <= 5  # lock, read the last events, check them, insert (and a savepoint at most)
    assert run_verify()[0] == 0


@pytest.mark.django_db
def test_an_unknown_kind_writes_nothing():
    [case] = _cases(1)
    with pytest.raises(ValueError, match="Unknown event kind"):
        events_record_many(
            [
                NewEvent(case_id=case.pk, kind=EventKind.NOTE, description="fine"),
                NewEvent(case_id=case.pk, kind="made_up", description="not fine"),
            ]
        )
    assert not Event.objects.exists()
    assert events_record_many([]) == []


# --- the dedicated insert path keeps the chain rule


def _built(case, sequence, previous_hash, description="forged"):
    event = Event(
        case=case,
        kind=EventKind.NOTE,
        actor_label="System",
        description=description,
        details={},
        created_at=timezone.now(),
        sequence=sequence,
        previous_hash=previous_hash,
    )
    event.entry_hash = event.compute_hash()
    return event


@pytest.mark.django_db
def test_bulk_append_refuses_events_that_do_not_continue_the_stored_chain():
    [case] = _cases(1)
    first = event_record(case=case, kind=EventKind.NOTE, description="first")
    attempts = {
        "restarting the history": [_built(case, 1, "")],
        "skipping a number": [_built(case, 3, first.entry_hash)],
        "naming another previous hash": [_built(case, 2, "0" * 64)],
        "a second event not linked to the first": [
            _built(case, 2, first.entry_hash),
            _built(case, 3, first.entry_hash),
        ],
    }
    tampered = _built(case, 2, first.entry_hash)
    tampered.description = "changed after hashing"
    attempts["content that does not match its hash"] = [tampered]
    saved = _built(case, 2, first.entry_hash)
    saved.pk = first.pk
    attempts["an event with a primary key"] = [saved]
    for name, events in attempts.items():
        with pytest.raises(ImmutableEventError):
            Event.objects.bulk_append(events)
        assert Event.objects.count() == 1, name
    # The plain bulk_create is still refused.
    with pytest.raises(ImmutableEventError):
        Event.objects.bulk_create([_built(case, 2, first.entry_hash)])
    # A correctly chained batch goes in.
    second = _built(case, 2, first.entry_hash, "second")
    third = _built(case, 3, second.entry_hash, "third")
    Event.objects.bulk_append([second, third])
    assert run_verify()[0] == 0


# --- concurrency on PostgreSQL


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_batches_and_single_events_written_at_once_to_the_same_cases_keep_every_chain_unbroken():
    cases = _cases(5)
    writers, rounds = 4, 6
    barrier = threading.Barrier(writers)
    errors = []

    def write(n):
        try:
            barrier.wait(timeout=10)
            for r in range(rounds):
                if n % 2:
                    event_record(case=cases[r % 5], kind=EventKind.NOTE, description=f"single {n}.{r}")
                else:
                    # Cases in a different order each time: locks are still taken in key order.
                    order = cases[r % 5 :] + cases[: r % 5]
                    events_record_many(
                        NewEvent(case_id=c.pk, kind=EventKind.NOTE, description=f"batch {n}.{r}") for c in order * 2
                    )
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert Event.objects.count() == (writers // 2) * rounds * 10 + (writers // 2) * rounds
    for case in cases:
        sequences = [sequence for sequence, _, _ in _chain(case)]
        assert sequences == list(range(1, len(sequences) + 1))
    code, _, err = run_verify()
    assert code == 0, err
