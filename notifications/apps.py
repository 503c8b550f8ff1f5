from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from . import account_emails, checks  # noqa: F401  (checks: registers the system checks)

        account_emails.connect()
