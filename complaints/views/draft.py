"""The complaint being written, kept in the session between question pages."""

from dataclasses import dataclass

from complaints.services.evidence_files import StoredFile

SESSION_KEY = "complaint_draft"
CONFIRMATION_KEY = "complaint_confirmation"

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
        return self.session.setdefault(SESSION_KEY, {})

    def get(self, section: str, default=None):
        return self.data.get(section, default)

    def set(self, section: str, value) -> None:
        self.data[section] = value
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
