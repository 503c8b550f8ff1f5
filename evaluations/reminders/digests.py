"""The assessment's section of the programme office's daily digest: overdue evaluations by store."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Role
from notifications import digests

from ..selectors.outstanding import overdue_evaluations_by_store


def _line(row: dict) -> str:
    """Written when the digest is, in its reader's language."""
    return ngettext(
        "%(store)s: %(count)s evaluation overdue", "%(store)s: %(count)s evaluations overdue", row["overdue"]
    ) % {"store": row["store"].name, "count": row["overdue"]}


OVERDUE_BY_STORE = digests.register_section(
    digests.Section(
        key="evaluations.overdue_by_store",
        role=Role.STAFF,
        title=_("Overdue evaluations by store"),
        rows=lambda: overdue_evaluations_by_store(timezone.localdate()),
        line=_line,
        order=40,
    )
)
