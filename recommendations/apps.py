from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    """The university's recommendations of its graduates to Xiaomi, and the hiring pipeline."""

    name = "recommendations"
    verbose_name = _("Recommendations and hiring")

    def ready(self):
        from . import reminders  # noqa: F401  (registers the pipeline's reminder kinds)
        from .registrations import register_all

        register_all()
