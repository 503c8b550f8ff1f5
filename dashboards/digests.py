"""The two daily digests: the programme office's and the Xiaomi coordinator's.

The engine (`notifications.digests`) assembles and sends them; their sections are registered by
the apps that own the data (internships: applications, invitations, cohorts, certifications;
courses: students blocked on a quiz). The keys name rows in production: never change them.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from notifications import digests

STAFF_DIGEST = digests.register_digest(
    digests.Digest(
        key="staff_daily_digest",
        role=Role.STAFF,
        label=_("Daily digest of what is waiting for the programme office"),
        title=_("Programme office: what is waiting today"),
        link=lambda: reverse("dashboards:staff_home"),
    )
)
HR_DIGEST = digests.register_digest(
    digests.Digest(
        key="hr_daily_digest",
        role=Role.HR,
        label=_("Daily digest of stores and mentors needing attention"),
        title=_("Xiaomi coordination: what is waiting today"),
        link=lambda: reverse("dashboards:hr_home"),
    )
)
