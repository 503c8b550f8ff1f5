from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InternshipsConfig(AppConfig):
    name = "internships"
    verbose_name = _("Programme and placements")

    def ready(self):
        from . import reminders  # noqa: F401  (registers the programme's reminder kinds)
