"""What the triggers that keep a case's own copy of its rows' data have in common
(next_due_guard.py: the next due date from the clocks; post_search.py: the words of the posts).

On PostgreSQL each is a row trigger function that refreshes the case a changed row belongs to and,
when the row was moved to another case, that case too.
"""


def refresh_function(name: str, refresh: str, *, skip_when: str = "") -> str:
    """CREATE OR REPLACE FUNCTION `name`: `refresh` (SQL with `{ref}` for OLD or NEW) for the old
    row's case on update and delete, and for the new row's on insert and on a move. `skip_when`,
    a condition, leaves everything alone while it holds."""
    skip = f"IF {skip_when} THEN RETURN NULL; END IF;" if skip_when else ""
    return f"""
    CREATE OR REPLACE FUNCTION {name}() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        {skip}
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            {refresh.format(ref="OLD")};
        END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.case_id IS DISTINCT FROM OLD.case_id) THEN
            {refresh.format(ref="NEW")};
        END IF;
        RETURN NULL;
    END;
    $$
    """


def run(connection, statements) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
