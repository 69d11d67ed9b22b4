"""Run in a separate process against a fresh database (SQLite or PostgreSQL, from DATABASE_URL):
history written before the hash chain existed is linked by the migration, then raw SQL tries to
rewrite it. Prints one JSON object with what happened, for tests/complaints/test_history.py."""

import io
import json


def main():
    import django

    django.setup()

    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import DatabaseError, connection, transaction
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    from complaints.models.event_guard import install_event_guard, remove_event_guard

    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    result = {"vendor": connection.vendor}

    # History as it was before the chain: three events on one case, one on another.
    call_command("migrate", "complaints", "0004_case_merged_into", **quiet)
    old = MigrationExecutor(connection).loader.project_state(("complaints", "0004_case_merged_into")).apps
    authority = old.get_model("complaints", "Authority").objects.create(
        name="Northmoor District Council", slug="northmoor", kind="district"
    )
    Case = old.get_model("complaints", "Case")
    OldEvent = old.get_model("complaints", "Event")
    cases = [
        Case.objects.create(reference=f"MO-2026-0000{n}", authority=authority, opened_at=timezone.now())
        for n in (1, 2)
    ]
    for n, description in enumerate(["Complaint received", "Case opened", "Acknowledgement sent"]):
        OldEvent.objects.create(
            case=cases[0], kind="note", actor_label="System", description=description, details={"n": n}
        )
    OldEvent.objects.create(case=cases[1], kind="note", actor_label="System", description="Only event", details={})

    call_command("migrate", **quiet)

    def verify():
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command("verify_history", stdout=out, stderr=err)
            code = 0
        except CommandError as exc:
            code = exc.returncode
        return {"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}

    result["verify_after_migration"] = verify()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, sequence, previous_hash, entry_hash FROM complaints_event ORDER BY case_id, sequence"
        )
        result["rows"] = [list(row) for row in cursor.fetchall()]
    second_event = result["rows"][1][0]

    def attempt(sql, params):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
            return "allowed"
        except DatabaseError as exc:
            return f"refused: {type(exc).__name__}: {exc}"

    result["update"] = attempt(
        "UPDATE complaints_event SET description = %s WHERE id = %s", ["Rewritten", second_event]
    )
    result["delete"] = attempt("DELETE FROM complaints_event WHERE id = %s", [second_event])
    result["delete_all"] = attempt("DELETE FROM complaints_event", [])
    result["verify_untouched"] = verify()

    # Someone with the owner's rights drops the trigger, edits a row and puts the trigger back.
    with transaction.atomic():
        remove_event_guard(connection)
        with connection.cursor() as cursor:
            cursor.execute("UPDATE complaints_event SET description = %s WHERE id = %s", ["Rewritten", second_event])
        install_event_guard(connection)
    result["tampered_event"] = second_event
    result["verify_after_tampering"] = verify()

    # The trigger left dropped is itself reported.
    remove_event_guard(connection)
    result["verify_without_trigger"] = verify()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
