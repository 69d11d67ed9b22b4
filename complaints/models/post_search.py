"""Each case's search document: the words of all its posts, kept by a PostgreSQL trigger.

The dashboard's search finds cases by the text of their posts. Matching posts and then looking up
each one's case costs a lookup per matching post (over a thousand for a common word at 100,000
cases); with the words on the case row itself (`complaints_case.post_search`, a tsvector with a
GIN index), the search reads the matching cases directly, together with the access rule and the
sort, in one pass.

The column is PostgreSQL's alone and not a model field: no page reads it, and a case saved from
an old copy could otherwise write back stale words. A trigger on the posts table keeps it right
however a post is written (a service, the admin, a bulk update, an anonymisation): inserting,
deleting, changing a post's text or moving it to another case recomputes the document of each
case concerned. SQLite has no full-text search; there the search looks through the posts (see
`complaints/selectors/dashboard.py`).
"""

COLUMN = "post_search"
INDEX = "case_post_search"
TRIGGER = "complaints_post_search"
# Set (for one transaction) by `bulk_load_begin`: the trigger then leaves the documents alone.
BULK_LOAD_SETTING = "complaints.post_search_bulk_load"

# The case's posts in the order they were made, as one text; a case without posts has none.
_REFRESH = """
    UPDATE complaints_case SET post_search = (
        SELECT to_tsvector('english'::regconfig, string_agg(COALESCE(text_reported, ''), E'\\n' ORDER BY id))
        FROM complaints_socialmediapost WHERE case_id = {ref}.case_id
    ) WHERE id = {ref}.case_id
"""

REFRESH_ALL = """
    UPDATE complaints_case SET post_search = documents.words
    FROM (
        SELECT case_id, to_tsvector('english'::regconfig, string_agg(COALESCE(text_reported, ''), E'\\n' ORDER BY id))
        AS words FROM complaints_socialmediapost GROUP BY case_id
    ) AS documents
    WHERE documents.case_id = complaints_case.id
"""

INSTALL = [
    f"ALTER TABLE complaints_case ADD COLUMN IF NOT EXISTS {COLUMN} tsvector",
    f"""
    CREATE OR REPLACE FUNCTION complaints_case_post_search_refresh() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('{BULK_LOAD_SETTING}', true) = 'on' THEN
            RETURN NULL;  -- a bulk load in this transaction refreshes every case at its end
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            {_REFRESH.format(ref="OLD")};
        END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.case_id IS DISTINCT FROM OLD.case_id) THEN
            {_REFRESH.format(ref="NEW")};
        END IF;
        RETURN NULL;
    END;
    $$
    """,
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON complaints_socialmediapost",
    f"""
    CREATE TRIGGER {TRIGGER}
    AFTER INSERT OR DELETE OR UPDATE OF case_id, text_reported ON complaints_socialmediapost
    FOR EACH ROW EXECUTE FUNCTION complaints_case_post_search_refresh()
    """,
    REFRESH_ALL,
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON complaints_case USING gin ({COLUMN})",
]

REMOVE = [
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON complaints_socialmediapost",
    "DROP FUNCTION IF EXISTS complaints_case_post_search_refresh()",
    f"DROP INDEX IF EXISTS {INDEX}",
    f"ALTER TABLE complaints_case DROP COLUMN IF EXISTS {COLUMN}",
]


def _run(connection, statements) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install_post_search(connection) -> None:
    """Add the column, its trigger and index (PostgreSQL), and fill it from the posts there are."""
    if connection.vendor == "postgresql":
        _run(connection, INSTALL)


def remove_post_search(connection) -> None:
    if connection.vendor == "postgresql":
        _run(connection, REMOVE)


def bulk_load_begin(connection) -> None:
    """Before a bulk load of posts (the benchmarks' COPY), inside its transaction: the trigger
    leaves the documents alone until `bulk_load_end`, which works out every case's document once
    instead of once per post. The setting lasts until the transaction ends, whatever happens."""
    if connection.vendor == "postgresql":
        _run(connection, [f"SET LOCAL {BULK_LOAD_SETTING} = 'on'"])


def bulk_load_end(connection) -> None:
    if connection.vendor == "postgresql":
        _run(connection, [f"SET LOCAL {BULK_LOAD_SETTING} = 'off'", REFRESH_ALL])
