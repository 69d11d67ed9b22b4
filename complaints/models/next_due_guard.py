"""Database triggers that keep `Case.next_due_on` equal to the earliest due date among the case's
clocks still running (deadlines with no `met_at`), for PostgreSQL and SQLite.

The dashboard sorts and counts open cases by that date. Kept by the database, it is right however
a deadline is written (a service, the admin, a bulk update, a script), and the dashboard reads one
indexed column instead of looking through every open case's clocks on every request.
"""

from complaints.models.case_triggers import refresh_function, run

_REFRESH = """
    UPDATE complaints_case SET next_due_on = (
        SELECT MIN(due_on) FROM complaints_deadline WHERE case_id = {ref}.case_id AND met_at IS NULL
    ) WHERE id = {ref}.case_id
"""

_POSTGRESQL_INSTALL = [
    refresh_function("complaints_case_next_due_refresh", _REFRESH),
    "DROP TRIGGER IF EXISTS complaints_deadline_next_due ON complaints_deadline",
    """
    CREATE TRIGGER complaints_deadline_next_due
    AFTER INSERT OR DELETE OR UPDATE OF case_id, due_on, met_at ON complaints_deadline
    FOR EACH ROW EXECUTE FUNCTION complaints_case_next_due_refresh()
    """,
]

_POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS complaints_deadline_next_due ON complaints_deadline",
    "DROP FUNCTION IF EXISTS complaints_case_next_due_refresh()",
]

_SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER IF NOT EXISTS complaints_deadline_next_due_insert AFTER INSERT ON complaints_deadline
    BEGIN {_REFRESH.format(ref="NEW")}; END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS complaints_deadline_next_due_update
    AFTER UPDATE OF case_id, due_on, met_at ON complaints_deadline
    BEGIN {_REFRESH.format(ref="OLD")}; {_REFRESH.format(ref="NEW")}; END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS complaints_deadline_next_due_delete AFTER DELETE ON complaints_deadline
    BEGIN {_REFRESH.format(ref="OLD")}; END
    """,
]

_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS complaints_deadline_next_due_insert",
    "DROP TRIGGER IF EXISTS complaints_deadline_next_due_update",
    "DROP TRIGGER IF EXISTS complaints_deadline_next_due_delete",
]

_STATEMENTS = {
    "postgresql": (_POSTGRESQL_INSTALL, _POSTGRESQL_REMOVE),
    "sqlite": (_SQLITE_INSTALL, _SQLITE_REMOVE),
}

REFRESH_ALL = """
    UPDATE complaints_case SET next_due_on = (
        SELECT MIN(due_on) FROM complaints_deadline
        WHERE complaints_deadline.case_id = complaints_case.id AND met_at IS NULL
    )
"""


def install_next_due_triggers(connection) -> None:
    """Create (or re-create) the triggers and bring every case's date up to date."""
    run(connection, _STATEMENTS[connection.vendor][0] + [REFRESH_ALL])


_PRESENT = {
    "postgresql": "SELECT 1 FROM pg_trigger WHERE tgname = 'complaints_deadline_next_due'",
    "sqlite": "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'complaints_deadline_next_due_insert'",
}


def keep_next_due_triggers(connection) -> None:
    """Put the triggers back if they are gone, and then bring every case's date up to date.

    SQLite drops a table's triggers when a migration rebuilds the table (as altering a column
    does), so this runs after every `migrate` (complaints/apps.py)."""
    with connection.cursor() as cursor:
        cursor.execute(_PRESENT[connection.vendor])
        if cursor.fetchone() is None:
            install_next_due_triggers(connection)


def remove_next_due_triggers(connection) -> None:
    run(connection, _STATEMENTS[connection.vendor][1])
