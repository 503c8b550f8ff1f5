"""Each role's home page: what needs this person now."""

from django.shortcuts import render

from accounts.access import role_required
from accounts.models import Role
from courses.selectors import programme_courses
from notifications.selectors import failed_reminder_count

from . import selectors


@role_required(Role.STUDENT)
def student_home(request):
    return render(
        request,
        "internships/student_home.html",
        {
            "cohorts": list(selectors.cohorts_accepting_applications()),
            "courses": list(programme_courses()),
            "journey": selectors.student_journey(request.user),
        },
    )


@role_required(Role.STAFF, Role.ADMIN)
def staff_home(request):
    return render(
        request,
        "internships/staff_home.html",
        {
            "overview": selectors.staff_overview(),
            "cohorts": list(selectors.cohorts_in_progress()[:20]),
            "failed_reminders": failed_reminder_count(),
        },
    )


@role_required(Role.MENTOR)
def mentor_home(request):
    return render(request, "internships/mentor_home.html", {"mentor": selectors.mentor_profile(request.user)})


@role_required(Role.HR, Role.ADMIN)
def hr_home(request):
    return render(
        request,
        "internships/hr_home.html",
        {
            "overview": selectors.registry_overview(),
            "expiring": list(selectors.mentors_with_certification_expiring()),
        },
    )
