from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Online courses")

    def ready(self):
        from . import reminders  # noqa: F401  (registers the course-deadline reminder)

        _register_navigation()


def _register_navigation() -> None:
    from accounts import navigation
    from accounts.models import Role

    for entry in (
        navigation.Entry(
            key="courses.my_courses",
            label=_("My courses"),
            url_name="courses:my_courses",
            roles=(Role.STUDENT,),
            order=10,
        ),
        navigation.Entry(
            key="courses.progress",
            label=_("Course progress"),
            url_name="courses:progress_overview",
            roles=(Role.STAFF, Role.ADMIN),
            order=30,
        ),
    ):
        navigation.register(entry)
