from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InternshipsConfig(AppConfig):
    name = "internships"
    verbose_name = _("Programme and placements")

    def ready(self):
        from . import reminders  # noqa: F401  (registers the programme's reminder kinds)

        _register_navigation()
        _register_tones()


def _register_tones() -> None:
    from accounts import ui

    from .models import Application, Attendance, Cohort, Placement

    C, A, P, M = Cohort.Status, Application.Status, Placement.Status, Attendance.Mark
    for model, field, choices, tones in (
        (
            Cohort,
            "status",
            C,
            {C.DRAFT: "secondary", C.OPEN: "success", C.RUNNING: "primary", C.FINISHED: "secondary"},
        ),
        (
            Application,
            "status",
            A,
            {
                A.DRAFT: "secondary",
                A.SUBMITTED: "primary",
                A.ACCEPTED: "success",
                A.WAITLISTED: "warning",
                A.REJECTED: "danger",
                A.WITHDRAWN: "secondary",
            },
        ),
        (
            Placement,
            "status",
            P,
            {
                P.PROPOSED: "warning",
                P.PLANNED: "success",
                P.ACTIVE: "success",
                P.COMPLETED: "success",
                P.WITHDRAWN: "secondary",
            },
        ),
        (Attendance, "mark", M, {M.PRESENT: "success", M.LATE: "warning", M.ABSENT: "danger"}),
    ):
        ui.register_tones(model, field, choices, tones)


def _register_navigation() -> None:
    from accounts import navigation
    from accounts.models import Role

    for role, url_name in (
        (Role.STUDENT, "internships:student_home"),
        (Role.STAFF, "internships:staff_home"),
        (Role.MENTOR, "internships:mentor_home"),
        (Role.HR, "internships:hr_home"),
    ):
        navigation.register_home(role, url_name)
    staff, hr = (Role.STAFF, Role.ADMIN), (Role.HR, Role.ADMIN)
    for key, label, url_name, roles, order, extra in (
        ("attendance", _("Attendance"), "internships:mentor_attendance", (Role.MENTOR,), 10, {}),
        ("applications", _("Applications"), "internships:review_queue", staff, 10, {}),
        ("cohorts", _("Cohorts"), "internships:cohort_list", staff, 20, {}),
        ("stores", _("Stores"), "internships:store_list", hr, 40, {}),
        ("mentors", _("Mentors"), "internships:mentor_list", hr, 50, {}),
        # the administrator's way into the two offices' home pages
        ("staff_home", _("Programme office"), "internships:staff_home", (Role.ADMIN,), 60, {"in_nav": False}),
        ("hr_home", _("Xiaomi coordination"), "internships:hr_home", (Role.ADMIN,), 61, {"in_nav": False}),
    ):
        navigation.register(
            navigation.Entry(
                key=f"internships.{key}",
                label=label,
                url_name=url_name,
                roles=roles,
                order=order,
                admin_shortcut=extra.get("in_nav", True) is False,
                **extra,
            )
        )
