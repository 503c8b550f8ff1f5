from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InternshipsConfig(AppConfig):
    name = "internships"
    verbose_name = _("Programme and placements")

    def ready(self):
        from . import reminders  # noqa: F401  (registers the programme's reminder kinds)

        _register_navigation()  # the role homes are registered by dashboards
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

    staff, hr = (Role.STAFF, Role.ADMIN), (Role.HR, Role.ADMIN)
    for key, label, url_name, roles, order in (
        ("attendance", _("Attendance"), "internships:mentor_attendance", (Role.MENTOR,), 10),
        ("applications", _("Applications"), "internships:review_queue", staff, 10),
        ("cohorts", _("Cohorts"), "internships:cohort_list", staff, 20),
        ("stores", _("Stores"), "internships:store_list", hr, 40),
        ("mentors", _("Mentors"), "internships:mentor_list", hr, 50),
    ):
        navigation.register(
            navigation.Entry(
                key=f"internships.{key}", label=label, url_name=url_name, roles=roles, order=order
            )
        )
