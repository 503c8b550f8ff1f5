from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    """The "+3" assessment: rubric, mentor evaluations, reflections, results and certificates."""

    name = "evaluations"
    verbose_name = _("Evaluations and certificates")

    def ready(self):
        from . import reminders  # noqa: F401  (registers the assessment's reminder kinds)
        from .registrations import register_all

        register_all()
