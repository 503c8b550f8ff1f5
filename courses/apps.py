from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Online courses")

    def ready(self):
        from . import reminders  # noqa: F401  (registers the course-deadline reminder)
