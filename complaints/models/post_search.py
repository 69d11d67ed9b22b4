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

from complaints.models.case_triggers import refresh_function, run

COLUMN = "post_search"
INDEX = "case_post_search"
TRIGGER = "complaints_post_search"
# Set (for one transaction) by `bulk_load_begin`: the trigger then leaves the documents alone.
BULK_LOAD_SETTING = "complaints.post_search_bulk_load"

# The words of a case's posts, in the order they were made; a case without posts has none.
_WORDS = "to_tsvector('english'::regconfig, string_agg(COALESCE(text_reported, ''), E'\\n' ORDER BY id))"

_REFRESH = f"""
    UPDATE complaints_case SET post_search = (
        SELECT {_WORDS} FROM complaints_socialmediapost WHERE case_id = {{ref}}.case_id
    ) WHERE id = {{ref}}.case_id
"""  # noqa: S608 - constants only, no input

REFRESH_ALL = f"""
    UPDATE complaints_case SET post_search = documents.words
    FROM (SELECT case_id, {_WORDS} AS words FROM complaints_socialmediapost GROUP BY case_id) AS documents
    WHERE documents.case_id = complaints_case.id
"""  # noqa: S608 - constants only, no input

INSTALL = [
    f"ALTER TABLE complaints_case ADD COLUMN IF NOT EXISTS {COLUMN} tsvector",
    refresh_function(
        "complaints_case_post_search_refresh",
        _REFRESH,
        # A bulk load in this transaction refreshes every case at its end (`bulk_load_end`).
        skip_when=f"current_setting('{BULK_LOAD_SETTING}', true) = 'on'",
    ),
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


def install_post_search(connection) -> None:
    """Add the column, its trigger and index (PostgreSQL), and fill it from the posts there are."""
    if connection.vendor == "postgresql":
        run(connection, INSTALL)


def remove_post_search(connection) -> None:
    if connection.vendor == "postgresql":
        run(connection, REMOVE)


def bulk_load_begin(connection) -> None:
    """Before a bulk load of posts (the benchmarks' COPY), inside its transaction: the trigger
    leaves the documents alone until `bulk_load_end`, which works out every case's document once
    instead of once per post. The setting lasts until the transaction ends, whatever happens."""
    if connection.vendor == "postgresql":
        run(connection, [f"SET LOCAL {BULK_LOAD_SETTING} = 'on'"])


def bulk_load_end(connection) -> None:
    if connection.vendor == "postgresql":
        run(connection, [f"SET LOCAL {BULK_LOAD_SETTING} = 'off'", REFRESH_ALL])
