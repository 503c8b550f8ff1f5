"""The engine tests' own reminder kind: a notice about a person, needing nothing of the programme.

Imported by the tests' conftest, and by `worker_settings` for a worker started as a subprocess.
"""

from pathlib import Path

from notifications import kinds

TEMPLATES = Path(__file__).parent / "templates"

# Subjects (users) whose notice is "no longer due": a test adds one to see the send-time check.
NO_LONGER_DUE: set[int] = set()

TEST_KIND = kinds.register(
    kinds.Kind(
        key="test_notice",
        label="Test notice",
        template="tests/notice",
        audience=(),  # on nobody's settings page: the page's own tests use the programme's kinds
        still_due=lambda reminder: reminder.subject_id not in NO_LONGER_DUE,
        context=lambda reminder: {"note": reminder.context.get("note", "")},
        link=lambda reminder: "/notifications/",
    )
)
