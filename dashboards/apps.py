from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """The pages that read across the apps below: each role's home and the daily digests."""

    name = "dashboards"
    verbose_name = _("Home pages and digests")

    def ready(self):
        from . import digests  # noqa: F401  (registers the two daily digests)

        _register_navigation()


def _register_navigation() -> None:
    from accounts import navigation
    from accounts.models import Role

    for role, url_name in (
        (Role.STUDENT, "dashboards:student_home"),
        (Role.STAFF, "dashboards:staff_home"),
        (Role.MENTOR, "dashboards:mentor_home"),
        (Role.HR, "dashboards:hr_home"),
    ):
        navigation.register_home(role, url_name)
    # the administrator's way into the two offices' home pages
    for key, label, url_name, order in (
        ("staff_home", _("Programme office"), "dashboards:staff_home", 60),
        ("hr_home", _("Xiaomi coordination"), "dashboards:hr_home", 61),
    ):
        navigation.register(
            navigation.Entry(
                key=f"dashboards.{key}",
                label=label,
                url_name=url_name,
                roles=(Role.ADMIN,),
                order=order,
                in_nav=False,
                admin_shortcut=True,
            )
        )
