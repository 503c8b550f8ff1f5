"""Each role's home page: the student's, the programme office's, the mentor's and Xiaomi's."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts.access import role_required
from accounts.models import Role
from courses.selectors import programme_courses, progress_for_student
from internships import selectors, services
from internships.models import Application, StudentProfile
from notifications.selectors import failed_reminder_count
from recommendations.reminders import overdue_recommendations

from . import selectors as homes


@role_required(Role.STUDENT)
def student_home(request):
    progress = progress_for_student(request.user)
    applications = selectors.applications_of(request.user)
    placement = selectors.placement_of(request.user)
    assessment = homes.student_assessment(placement)
    by_cohort = {a.cohort_id: a for a in applications}
    open_cohorts = [
        (cohort, by_cohort.get(cohort.pk)) for cohort in selectors.cohorts_accepting_applications()
    ]
    return render(
        request,
        "dashboards/student_home.html",
        {
            "open_cohorts": [] if progress.total else open_cohorts,
            "applications": applications,
            "courses": list(programme_courses()),
            "progress": progress,
            "next_course": progress.next_course,
            "journey": homes.student_journey(request.user, progress, applications, placement, assessment),
            "assessment": assessment,
            "has_profile": StudentProfile.objects.filter(user=request.user).exists(),
            "placement": placement,
            "placement_cutoff": _placement_cutoff(applications),
            "works_today": (
                works_today := placement is not None and timezone.localdate() in placement.working_days()
            ),
            "check_in": selectors.attendance_today(placement) if works_today else None,
            "calendar_url": _calendar_url(request) if placement else "",
        },
    )


@role_required(Role.STAFF, Role.ADMIN)
def staff_home(request):
    return render(
        request,
        "dashboards/staff_home.html",
        {
            "overview": homes.staff_overview(),
            "cohorts": list(selectors.cohorts_in_progress()[:20]),
            "failed_reminders": failed_reminder_count(),
            "waiting": selectors.review_queue().count(),
            "overdue_at_xiaomi": overdue_recommendations().count(),
            "overdue_url": _overdue_url(),
        },
    )


def _overdue_url() -> str:
    """The staff list of recommendations, the waiting ones."""
    return reverse("recommendations:sent") + "?status=received"


@role_required(Role.MENTOR)
def mentor_home(request):
    home = homes.mentor_home(request.user)
    return render(
        request,
        "dashboards/mentor_home.html",
        {
            **home,
            "calendar_url": _calendar_url(request) if home["interns"] else "",
        },
    )


def _placement_cutoff(applications):
    """The date the accepted student must pass the five courses by to be placed."""
    accepted = [a for a in applications if a.status == Application.Status.ACCEPTED]
    return selectors.placement_cutoff(accepted[0].cohort) if accepted else None


def _calendar_url(request) -> str:
    token = services.calendar_token_for(request.user)
    return request.build_absolute_uri(reverse("internships:calendar_feed", args=[token]))


@role_required(Role.HR, Role.ADMIN)
def hr_home(request):
    return render(
        request,
        "dashboards/hr_home.html",
        {
            "overview": selectors.registry_overview(),
            "expiring": list(selectors.mentors_with_certification_expiring()),
            "warning_days": selectors.CERTIFICATION_WARNING_DAYS,
            # the seats and attendance of each cohort are the coordinator's pages too
            "cohorts": list(selectors.cohorts_in_progress().prefetch_related("placement_windows")[:20]),
        },
    )
