"""The complaint being written, kept in the session between question pages."""

import uuid
from dataclasses import dataclass

from complaints.services.evidence_files import StoredFile

SESSION_KEY = "complaint_draft"
CONFIRMATION_KEY = "complaint_confirmation"
TOKEN_KEY = "token"  # noqa: S105 (the draft's idempotency key, not a secret)

# The question pages in order; each names the draft section it fills.
STEPS = ("about", "council", "councillors", "posts", "clauses", "evidence", "outcome")
STEP_URLS = {
    "about": "complain:about",
    "council": "complain:council",
    "councillors": "complain:councillors",
    "posts": "complain:posts",
    "clauses": "complain:clauses",
    "evidence": "complain:evidence",
    "outcome": "complain:outcome",
}


@dataclass
class Draft:
    session: object

    @property
    def data(self) -> dict:
        # Reading must not create a draft: a visitor who only reads pages gets no session row.
        return self.session.get(SESSION_KEY, {})

    def _writable(self) -> dict:
        data = self.session.setdefault(SESSION_KEY, {})
        data.setdefault(TOKEN_KEY, uuid.uuid4().hex)
        return data

    @property
    def token(self) -> str:
        """The draft's idempotency key: sending the same draft twice gives one complaint."""
        token = self.data.get(TOKEN_KEY)
        if not token:
            token = self._writable()[TOKEN_KEY]
            self.session.modified = True
        return token

    @property
    def is_empty(self) -> bool:
        return not any(key != TOKEN_KEY for key in self.data)

    def get(self, section: str, default=None):
        return self.data.get(section, default)

    def set(self, section: str, value) -> None:
        self._writable()[section] = value
        self.session.modified = True

    def pop(self, section: str) -> None:
        if section in self.data:
            del self.data[section]
            self.session.modified = True

    def is_complete(self, step: str) -> bool:
        if step == "posts":
            return bool(self.data.get("posts"))
        if step == "evidence":
            return bool(self.data.get("evidence")) or bool(self.data.get("no_evidence_reason"))
        return step in self.data

    def first_incomplete(self) -> str | None:
        for step in STEPS:
            if not self.is_complete(step):
                return step
        return None

    def missing_before(self, step: str) -> str | None:
        """The first earlier page still to answer, if any: pages can't be skipped by URL."""
        for earlier in STEPS[: STEPS.index(step)]:
            if not self.is_complete(earlier):
                return earlier
        return None

    @property
    def evidence(self) -> list[StoredFile]:
        return [StoredFile.from_dict(item) for item in self.data.get("evidence", [])]

    def set_evidence(self, files: list[StoredFile]) -> None:
        self.set("evidence", [f.as_dict() for f in files])

    def clear(self) -> None:
        self.session.pop(SESSION_KEY, None)
        self.session.modified = True
