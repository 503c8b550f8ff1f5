from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import ui
        from .models import Invitation
        from .navigation import _register_own

        _register_own()
        S = Invitation.Status
        ui.register_tones(
            Invitation, "status", S, {S.PENDING: "warning", S.ACCEPTED: "success", S.EXPIRED: "danger"}
        )
