from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from . import account_emails, checks, digests  # noqa: F401  (checks, digests: register themselves)

        account_emails.connect()
        _register_navigation()
        _register_tones()


def _register_tones() -> None:
    from accounts import ui

    from .models import Reminder

    S = Reminder.Status
    ui.register_tones(
        Reminder,
        "status",
        S,
        {
            S.PENDING: "warning",
            S.SENDING: "info",
            S.SENT: "success",
            S.FAILED: "danger",
            S.CANCELLED: "secondary",
        },
    )


def _register_navigation() -> None:
    from accounts import navigation
    from accounts.models import Role

    navigation.register(
        navigation.Entry(
            key="notifications.outbox",
            label=_("Outbox"),
            url_name="notifications:outbox",
            roles=(Role.STAFF, Role.ADMIN),
            order=80,
            in_nav=False,  # reached from the staff home, and a shortcut on the administrator's
            admin_shortcut=True,
        )
    )
