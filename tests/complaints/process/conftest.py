"""The named users and cases of the officer workspace tests (tests/complaints/officer/conftest.py)."""

from tests.complaints.officer.conftest import world  # noqa: F401
