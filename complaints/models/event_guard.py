"""Database triggers that make the event table append-only, for PostgreSQL and SQLite.

The ORM already refuses to update or delete events; these triggers refuse it to everyone else
too (raw SQL, `_base_manager`, a shell, another program using the same database). Removing them
needs the table owner's rights, and even then the hash chain (see Event.entry_hash) shows
what was changed.
"""

EVENT_TABLE = "complaints_event"

_POSTGRESQL_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION complaints_event_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'complaints_event is append-only: % refused', TG_OP
            USING ERRCODE = 'restrict_violation';
    END;
    $$
    """,
    "DROP TRIGGER IF EXISTS complaints_event_append_only ON complaints_event",
    """
    CREATE TRIGGER complaints_event_append_only
    BEFORE UPDATE OR DELETE ON complaints_event
    FOR EACH ROW EXECUTE FUNCTION complaints_event_refuse_change()
    """,
    "DROP TRIGGER IF EXISTS complaints_event_no_truncate ON complaints_event",
    """
    CREATE TRIGGER complaints_event_no_truncate
    BEFORE TRUNCATE ON complaints_event
    FOR EACH STATEMENT EXECUTE FUNCTION complaints_event_refuse_change()
    """,
]

_POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS complaints_event_append_only ON complaints_event",
    "DROP TRIGGER IF EXISTS complaints_event_no_truncate ON complaints_event",
    "DROP FUNCTION IF EXISTS complaints_event_refuse_change()",
]

# SQLite has no TRUNCATE; DELETE without WHERE fires the row trigger like any other DELETE.
_SQLITE_INSTALL = [
    """
    CREATE TRIGGER IF NOT EXISTS complaints_event_no_update BEFORE UPDATE ON complaints_event
    BEGIN SELECT RAISE(ABORT, 'complaints_event is append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS complaints_event_no_delete BEFORE DELETE ON complaints_event
    BEGIN SELECT RAISE(ABORT, 'complaints_event is append-only: DELETE refused'); END
    """,
]

_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS complaints_event_no_update",
    "DROP TRIGGER IF EXISTS complaints_event_no_delete",
]

_STATEMENTS = {
    "postgresql": (_POSTGRESQL_INSTALL, _POSTGRESQL_REMOVE),
    "sqlite": (_SQLITE_INSTALL, _SQLITE_REMOVE),
}


class UnsupportedDatabase(Exception):
    pass


def _statements(connection, index: int) -> list[str]:
    try:
        return _STATEMENTS[connection.vendor][index]
    except KeyError:
        raise UnsupportedDatabase(f"No append-only guard for the {connection.vendor} database.") from None


def install_event_guard(connection) -> None:
    """Create (or re-create) the triggers. Safe to run repeatedly."""
    with connection.cursor() as cursor:
        for statement in _statements(connection, 0):
            cursor.execute(statement)


def remove_event_guard(connection) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection, 1):
            cursor.execute(statement)


def event_guard_missing(connection) -> list[str]:
    """Names of expected triggers that are absent or disabled (empty when the guard is whole)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            expected = {"complaints_event_append_only", "complaints_event_no_truncate"}
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND tgenabled <> 'D'", [EVENT_TABLE]
            )
        elif connection.vendor == "sqlite":
            expected = {"complaints_event_no_update", "complaints_event_no_delete"}
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [EVENT_TABLE])
        else:
            raise UnsupportedDatabase(f"No append-only guard for the {connection.vendor} database.")
        present = {row[0] for row in cursor.fetchall()}
    return sorted(expected - present)


def event_table_is_chained(connection) -> bool:
    """Whether the event table exists with its hash columns (the guard goes on only then)."""
    with connection.cursor() as cursor:
        if EVENT_TABLE not in connection.introspection.table_names(cursor):
            return False
        columns = {column.name for column in connection.introspection.get_table_description(cursor, EVENT_TABLE)}
    return "entry_hash" in columns
