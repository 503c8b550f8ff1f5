"""Every URL × every role → the status code that role gets (one table, one test)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import Role
from courses import services as course_services
from evaluations import services as evaluation_services
from evaluations.models import Evaluation
from internships.models import Attendance, Placement
from internships.services import calendar_token_for
from notifications.models import Reminder
from notifications.services import reminder_plan
from recommendations.models import Recommendation
from tests.factories import (
    PDF_BYTES,
    AcceptedApplicationFactory,
    AdminFactory,
    CohortFactory,
    EnrolmentFactory,
    HRFactory,
    InvitationFactory,
    MentorFactory,
    MentorUserFactory,
    NotificationFactory,
    PlacementFactory,
    PlacementWindowFactory,
    RecommendationFactory,
    ReflectionFactory,
    StaffFactory,
    StoreFactory,
    StudentFactory,
    StudentProfileFactory,
    SubmittedApplicationFactory,
    SubmittedEvaluationFactory,
    course_with_content,
    quiz_answers,
)

ROLES = ["anonymous", "student", "staff", "mentor", "hr", "admin"]

# A 302 to the sign-in page (with ?next=) — what an anonymous visitor gets on a role-protected page.
LOGIN = "302 → sign-in"

# Views that only accept POST; every other URL is opened with GET.
POST_ONLY = {
    "accounts:logout",
    "accounts:set_language",
    "accounts:invitation_resend",
    "notifications:open",
    "notifications:read_all",
    "notifications:outbox_retry",
    "courses:lesson_complete",
    "courses:attempts_grant",
    "internships:application_withdraw",
    "internships:allocation_start",
    "internships:allocation_publish",
    "internships:eligibility_exception",
    "internships:placement_withdraw",
    "internships:attendance_mark",
    "internships:check_in_confirm",
    "internships:check_in",
    "internships:calendar_reset",
    # evaluations: mentor evaluations
    "evaluations:evaluation_autosave",
    "evaluations:evaluations_release",
    # evaluations: results and certificates
    "evaluations:results_recompute",
    "evaluations:results_confirm",
    "evaluations:certificates_issue",
    "evaluations:certificate_reissue",
    # recommendations: staff side
    "recommendations:consent_request",
    "recommendations:withdraw",
    # recommendations: HR board
    "recommendations:move",
    # recommendations: the student side
    "recommendations:answer_offer",
}

# Role-protected pages: anonymous → sign-in, wrong role → 403, right role → 200.
STAFF_HR_ADMIN = {"anonymous": LOGIN, "student": 403, "staff": 200, "mentor": 403, "hr": 200, "admin": 200}
STAFF_ADMIN = {"anonymous": LOGIN, "student": 403, "staff": 200, "mentor": 403, "hr": 403, "admin": 200}
STAFF_ADMIN_REDIRECTED = {**STAFF_ADMIN, "staff": 302, "admin": 302}
HR_ADMIN = {"anonymous": LOGIN, "student": 403, "staff": 403, "mentor": 403, "hr": 200, "admin": 200}
# A mentor's own pages: every other role (the administrator too) is refused.
MENTOR_ONLY = {"anonymous": LOGIN, "student": 403, "staff": 403, "mentor": 200, "hr": 403, "admin": 403}
SIGNED_IN = {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 200)}
SIGNED_IN_REDIRECTED = {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 302)}
EVERYONE = dict.fromkeys(ROLES, 200)
EVERYONE_REDIRECTED = dict.fromkeys(ROLES, 302)
# A student's own pages: every other role (the administrator too) is refused.
STUDENT_ONLY = {"anonymous": LOGIN, "student": 200, "staff": 403, "mentor": 403, "hr": 403, "admin": 403}

MATRIX = {
    "home": {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 302)},
    "accounts:login": {"anonymous": 200, **dict.fromkeys(ROLES[1:], 302)},
    "accounts:logout": EVERYONE_REDIRECTED,
    "accounts:password_reset": EVERYONE,
    "accounts:password_reset_done": EVERYONE,
    "accounts:password_reset_confirm": EVERYONE,  # a bad link: the page says it cannot be used
    "accounts:password_reset_complete": EVERYONE,
    "accounts:invitations": STAFF_HR_ADMIN,
    "accounts:invitation_resend": {**STAFF_HR_ADMIN, "staff": 302, "hr": 302, "admin": 302},
    "accounts:invitation_accept": dict.fromkeys(ROLES, 410),  # an unknown token
    "accounts:set_language": EVERYONE_REDIRECTED,
    "favicon": EVERYONE_REDIRECTED,  # to the icon in static files
    "accounts:admin_home": {
        "anonymous": LOGIN,
        "student": 403,
        "staff": 403,
        "mentor": 403,
        "hr": 403,
        "admin": 200,
    },
    "dashboards:student_home": {
        "anonymous": LOGIN,
        "student": 200,
        "staff": 403,
        "mentor": 403,
        "hr": 403,
        "admin": 403,
    },
    "dashboards:staff_home": {
        "anonymous": LOGIN,
        "student": 403,
        "staff": 200,
        "mentor": 403,
        "hr": 403,
        "admin": 200,
    },
    "dashboards:mentor_home": {
        "anonymous": LOGIN,
        "student": 403,
        "staff": 403,
        "mentor": 200,
        "hr": 403,
        "admin": 403,
    },
    "dashboards:hr_home": {
        "anonymous": LOGIN,
        "student": 403,
        "staff": 403,
        "mentor": 403,
        "hr": 200,
        "admin": 200,
    },
    "internships:privacy": EVERYONE,
    "internships:student_profile": STUDENT_ONLY,
    "internships:apply": STUDENT_ONLY,  # an open cohort; the student has a profile
    # a submitted application: its student reads it, staff are sent on to the review page
    "internships:application": {**STUDENT_ONLY, "staff": 302, "admin": 302},
    "internships:application_withdraw": {**STUDENT_ONLY, "student": 302},
    "internships:application_cv": {**STUDENT_ONLY, "staff": 200, "admin": 200},
    "internships:review_queue": STAFF_ADMIN,
    "internships:review_export": STAFF_ADMIN,
    "internships:review_detail": STAFF_ADMIN,
    "internships:cohort_list": STAFF_ADMIN,
    "internships:cohort_create": STAFF_ADMIN,
    "internships:cohort_edit": STAFF_ADMIN,
    "internships:student_import": STAFF_ADMIN,
    "internships:student_import_template": STAFF_ADMIN,
    # Placements: the Xiaomi coordinator keeps the registries; staff allocate; mentors record attendance.
    "internships:store_list": HR_ADMIN,
    "internships:store_create": HR_ADMIN,
    "internships:store_edit": HR_ADMIN,
    "internships:mentor_list": HR_ADMIN,
    "internships:mentor_create": HR_ADMIN,
    "internships:mentor_edit": HR_ADMIN,
    "internships:seats_grid": STAFF_HR_ADMIN,
    "internships:attendance_gaps": STAFF_HR_ADMIN,
    "internships:placement_board": STAFF_ADMIN,
    "internships:allocation_start": STAFF_ADMIN_REDIRECTED,  # back to the board with the preview
    "internships:allocation_publish": STAFF_ADMIN_REDIRECTED,
    "internships:eligibility_exception": STAFF_ADMIN_REDIRECTED,
    "internships:placement_create": STAFF_ADMIN,  # the form to place a student left out
    "internships:placement_move": STAFF_ADMIN,
    "internships:placement_withdraw": STAFF_ADMIN_REDIRECTED,
    "internships:mentor_attendance": MENTOR_ONLY,
    "internships:attendance_mark": {**MENTOR_ONLY, "mentor": 302},  # their own intern: recorded
    "internships:check_in_confirm": {**MENTOR_ONLY, "mentor": 302},
    "internships:check_in": {**STUDENT_ONLY, "student": 302},  # a published placement working today
    "internships:check_in_status": STUDENT_ONLY,  # the fragment the student's home polls
    "internships:attendance_card": MENTOR_ONLY,  # the fragment the mentor's register polls
    # A private address: whoever holds the token gets the feed, signed in or not (calendar apps
    # fetch it without a session). The token is the secret; an unknown one is a 404.
    "internships:calendar_feed": EVERYONE,
    # The owner of a feed (students and mentors have one) gets a new address, back to their home.
    "internships:calendar_reset": {
        **dict.fromkeys(ROLES, 403),
        "anonymous": LOGIN,
        "student": 302,
        "mentor": 302,
    },
    "notifications:list": SIGNED_IN,
    "notifications:preferences": SIGNED_IN,
    "notifications:read_all": SIGNED_IN_REDIRECTED,
    "notifications:open": SIGNED_IN_REDIRECTED,  # their own notification: marked read, then its link
    "notifications:outbox": STAFF_ADMIN,
    "notifications:outbox_retry": {**STAFF_ADMIN, "staff": 302, "admin": 302},
    "courses:my_courses": STUDENT_ONLY,
    "courses:progress_overview": STAFF_ADMIN,
    "courses:student_progress": STAFF_ADMIN,
    "courses:attempts_grant": STAFF_ADMIN_REDIRECTED,  # back to the student's progress page
    "courses:course": STUDENT_ONLY,  # a course the student is enrolled in
    "courses:lesson": STUDENT_ONLY,
    "courses:lesson_complete": {**STUDENT_ONLY, "student": 302},  # on to the next lesson
    "courses:lesson_attachment": {**STUDENT_ONLY, "student": 404},  # this lesson has no attachment
    "courses:quiz": STUDENT_ONLY,
    "courses:quiz_result": STUDENT_ONLY,
    # evaluations: overview
    "evaluations:overview": STAFF_HR_ADMIN,
    # evaluations: rubric and score spread (Xiaomi's coordinator reads both; staff edit the rubric)
    "evaluations:rubric": STAFF_HR_ADMIN,
    "evaluations:mentor_scores": STAFF_HR_ADMIN,
    # evaluations: mentor evaluations
    "evaluations:mentor_evaluations": MENTOR_ONLY,
    "evaluations:evaluation_form": MENTOR_ONLY,  # their intern's week 1: open today
    "evaluations:evaluation_autosave": MENTOR_ONLY,  # their intern's week 1: the draft is saved
    "evaluations:my_evaluations": STUDENT_ONLY,
    # a released evaluation: staff all, Xiaomi a consenting student's, the mentor and student their own
    "evaluations:evaluation_detail": {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 200)},
    "evaluations:cohort_evaluations": STAFF_HR_ADMIN,
    "evaluations:evaluations_release": STAFF_ADMIN_REDIRECTED,
    # evaluations: reflections
    "evaluations:my_reflections": STUDENT_ONLY,
    "evaluations:reflection_write": STUDENT_ONLY,  # week 1 of the student's placement, open
    "evaluations:mentor_reflections": MENTOR_ONLY,
    "evaluations:reflection_reply": MENTOR_ONLY,  # a reflection of the mentor's own intern
    # evaluations: results and certificates
    "evaluations:assessment_settings": STAFF_ADMIN,
    # Xiaomi's coordinator/HR read the results of students who consented to share with Xiaomi
    "evaluations:results": STAFF_HR_ADMIN,
    "evaluations:results_recompute": STAFF_ADMIN_REDIRECTED,  # back to the results
    "evaluations:results_confirm": STAFF_ADMIN_REDIRECTED,
    "evaluations:result_override": STAFF_ADMIN,
    "evaluations:certificates_issue": STAFF_ADMIN_REDIRECTED,
    "evaluations:certificate_download": STAFF_ADMIN,  # the PDF
    "evaluations:certificate_revoke": STAFF_ADMIN,  # the form (and re-issue)
    "evaluations:certificate_reissue": STAFF_ADMIN_REDIRECTED,
    "evaluations:certificate_pdf": STUDENT_ONLY,  # the student's own certificate, issued
    # Public: whoever holds a real code sees what confirms the certificate (no sign-in)
    "evaluations:verify": EVERYONE,
    # recommendations: staff side (Xiaomi reads the outcomes too)
    "recommendations:candidates": STAFF_ADMIN,
    "recommendations:recommend": STAFF_ADMIN_REDIRECTED,  # nothing chosen: back to the candidates
    "recommendations:consent_request": STAFF_ADMIN_REDIRECTED,  # back to the candidates
    "recommendations:sent": STAFF_ADMIN,
    "recommendations:withdraw": STAFF_ADMIN_REDIRECTED,  # withdrawn, back to the list
    "recommendations:access_log": STAFF_ADMIN,
    "recommendations:hiring_settings": STAFF_ADMIN,
    "recommendations:outcomes": STAFF_HR_ADMIN,
    "recommendations:outcomes_export": STAFF_HR_ADMIN,
    # recommendations: HR board (Xiaomi HR run the pipeline; the programme office reads it too)
    "recommendations:board": STAFF_HR_ADMIN,
    "recommendations:table": STAFF_HR_ADMIN,
    "recommendations:board_export": STAFF_HR_ADMIN,
    "recommendations:candidate": STAFF_HR_ADMIN,
    "recommendations:cv": STAFF_HR_ADMIN,
    # HR's move (to reviewing) is saved, back to the page; it is not the university's move to make
    "recommendations:move": {**STAFF_HR_ADMIN, "staff": 403, "hr": 302, "admin": 403},
    "recommendations:interview": {**HR_ADMIN, "admin": 403},  # a recommendation being reviewed
    # recommendations: the student side (their consent, their recommendation, who viewed their data)
    "recommendations:my_recommendation": STUDENT_ONLY,
    "recommendations:my_consent": STUDENT_ONLY,
    "recommendations:my_data_views": STUDENT_ONLY,
    "recommendations:answer_offer": {**STUDENT_ONLY, "student": 302},  # accepted: back to the page
    "recommendations:my_interview_ics": STUDENT_ONLY,  # the .ics of their own interview
    # The Django admin sends everyone without is_staff to its own sign-in page.
    "admin:index": {"anonymous": 302, "student": 302, "staff": 302, "mentor": 302, "hr": 302, "admin": 200},
}


def _invitation_visible_to(user):
    """An open invitation for a role this person may invite (any role when they may invite none)."""
    invitee = MentorUserFactory if user is not None and user.role == Role.HR else StudentFactory
    return InvitationFactory(user=invitee(is_active=False, password=None))


def _failed_reminder():
    """A failed reminder (a staff member's daily digest) that staff may send again."""
    person = StaffFactory()
    reminder = reminder_plan(
        recipient=person, kind="staff_daily_digest", about=person, due_at=timezone.now() + timedelta(days=1)
    )
    Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.FAILED, last_error="boom")
    return reminder


def _course_code(user, quiz_taken=False):
    """A course (two lessons, a quiz) this person is enrolled in when a student; someone else's
    otherwise. With `quiz_taken`, attempt 1 of its quiz is submitted."""
    student = user if user is not None and user.role == Role.STUDENT else StudentFactory()
    course = course_with_content(lessons=2, single=1, multiple=0)
    enrolment = EnrolmentFactory(student=student, course=course)
    if quiz_taken:
        attempt = course_services.quiz_attempt_open(enrolment=enrolment)
        course_services.quiz_attempt_submit(attempt=attempt, answers=quiz_answers(attempt))
    return course.code


def _blocked_on_quiz():
    """A student who used the only attempt at a course's quiz without passing: [student, course]."""
    course = course_with_content(lessons=1, single=1, multiple=0, quiz_max_attempts=1)
    enrolment = EnrolmentFactory(course=course)
    attempt = course_services.quiz_attempt_open(enrolment=enrolment)
    course_services.quiz_attempt_submit(
        attempt=attempt, answers=quiz_answers(attempt, wrong=attempt.question_order)
    )
    return [enrolment.student_id, course.code]


def _open_cohort_code(user):
    """An open cohort; a student gets a profile, so the application form opens."""
    if user is not None and user.role == Role.STUDENT:
        StudentProfileFactory(user=user)
    return CohortFactory().code


def _submitted_application(user):
    """A submitted application with a CV: the student's own when a student, someone else's otherwise."""
    student = user if user is not None and user.role == Role.STUDENT else StudentFactory()
    return SubmittedApplicationFactory(student=student).pk


def _working_today(**placement_fields):
    """A published placement whose window runs from yesterday, in a cohort working every day."""
    today = timezone.localdate()
    window = PlacementWindowFactory(
        cohort=CohortFactory(placement_weekdays="1234567"),
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=19),
    )
    return PlacementFactory(window=window, **placement_fields)


def _intern_of(user):
    """A placement working today: the mentor's own intern when a mentor; someone else's otherwise."""
    if user is not None and user.role == Role.MENTOR:
        return _working_today(mentor=user.mentor_profile)
    return _working_today()


def _placed_student(user):
    """A student gets a published placement working today (the check-in URL takes no argument)."""
    if user is not None and user.role == Role.STUDENT:
        _working_today(application__student=user)
    return []


def _proposed_cohort():
    """A cohort with a proposal to publish."""
    return PlacementFactory(status=Placement.Status.PROPOSED).cohort_id


def _application_left_out():
    """An accepted (eligible) application without a placement, in a cohort with a window."""
    application = AcceptedApplicationFactory()
    PlacementWindowFactory(cohort=application.cohort)
    return application.pk


# evaluations: mentor evaluations and reflections
def _placed_since(days: int, **placement_fields):
    """A published placement that started `days` days ago (three weeks long), working every day."""
    today = timezone.localdate()
    window = PlacementWindowFactory(
        cohort=CohortFactory(placement_weekdays="1234567"),
        starts_on=today - timedelta(days=days),
        ends_on=today + timedelta(days=20 - days),
    )
    return PlacementFactory(window=window, **placement_fields)


def _week_1_due_today(**placement_fields):
    """Week 1 ends today: its evaluation is open."""
    return _placed_since(6, **placement_fields)


def _in_week_two(**placement_fields):
    """In its second week: week 1's reflection is open."""
    return _placed_since(8, **placement_fields)


def _evaluated_intern_of(user):
    """The mentor's own intern when a mentor; someone else's otherwise."""
    if user is not None and user.role == Role.MENTOR:
        return _week_1_due_today(mentor=user.mentor_profile)
    return _week_1_due_today()


def _released_evaluation_for(user):
    """A released evaluation: of the student's own placement, of the mentor's own intern, of a
    student who consented to share with Xiaomi (the default) for everyone else."""
    fields = {}
    if user is not None and user.role == Role.STUDENT:
        fields["application__student"] = user
    if user is not None and user.role == Role.MENTOR:
        fields["mentor"] = user.mentor_profile
    return SubmittedEvaluationFactory(placement=PlacementFactory(**fields))


def _reflection_week(user):
    """Week 1 of the student's own placement (open); other roles get a student's placed elsewhere."""
    _in_week_two(**({"application__student": user} if user is not None and user.role == Role.STUDENT else {}))
    return [1]


def _reflection_to_reply(user):
    """A reflection of the mentor's own intern when a mentor; of someone else's intern otherwise."""
    own = user is not None and user.role == Role.MENTOR
    placement = _in_week_two(**({"mentor": user.mentor_profile} if own else {}))
    return [ReflectionFactory(placement=placement).pk]


def _certificate(student=None):
    """An issued certificate (merit) of a confirmed cohort: the given student's, or someone's."""
    from evaluations.models import AssessmentSettings
    from evaluations.services import certificate_issue
    from tests.factories import ProgrammeResultFactory

    placement = PlacementFactory(**({"application__student": student} if student is not None else {}))
    AssessmentSettings.objects.create(cohort=placement.cohort, results_confirmed_at=timezone.now())
    result = ProgrammeResultFactory(
        placement=placement,
        computed_band="merit",
        band="merit",
        total=80,
        computed_at=timezone.now(),
        completed_on=placement.window.ends_on,
    )
    return certificate_issue(result=result, by=StaffFactory())


def _certified_student(user):
    """A student gets an issued certificate (the download URL takes no argument)."""
    if user is not None and user.role == Role.STUDENT:
        _certificate(user)
    return []


# recommendations: HR board
def _recommendation_in_review():
    """A recommendation Xiaomi is reviewing: an interview may be scheduled."""
    return RecommendationFactory(status="reviewing", first_response_at=timezone.now())


# recommendations: the student side
def _recommendation_in(status, student=None):
    """A recommendation of `student` (another one if None) in `status`: an offer or an interview."""
    fields = {"status": status, "first_response_at": timezone.now()}
    if status == Recommendation.Status.INTERVIEW:
        fields |= {
            "interview_at": timezone.now() + timedelta(days=3),
            "interview_place": "小米之家 深圳万象天地店",
            "interviewer": HRFactory(),
        }
    if student is not None and student.role == Role.STUDENT:
        fields["result__placement__student"] = student
    return RecommendationFactory(**fields)


# URL arguments, built per signed-in person (None for anonymous).
ARGS = {
    "accounts:password_reset_confirm": lambda user: ["Mg", "bad-token"],
    "accounts:invitation_resend": lambda user: [_invitation_visible_to(user).pk],
    "accounts:invitation_accept": lambda user: ["no-such-token"],
    "notifications:open": lambda user: [NotificationFactory(user=user or StudentFactory()).pk],
    "notifications:outbox_retry": lambda user: [_failed_reminder().pk],
    "courses:student_progress": lambda user: [EnrolmentFactory().student_id],
    "courses:attempts_grant": lambda user: _blocked_on_quiz(),
    "internships:apply": lambda user: [_open_cohort_code(user)],
    "internships:application": lambda user: [_submitted_application(user)],
    "internships:application_withdraw": lambda user: [_submitted_application(user)],
    "internships:application_cv": lambda user: [_submitted_application(user)],
    "internships:review_detail": lambda user: [_submitted_application(user)],
    "internships:cohort_edit": lambda user: [CohortFactory().pk],
    "internships:store_edit": lambda user: [StoreFactory().pk],
    "internships:mentor_edit": lambda user: [MentorFactory().pk],
    "internships:seats_grid": lambda user: [PlacementWindowFactory().cohort_id],
    "internships:attendance_gaps": lambda user: [PlacementFactory().cohort_id],
    "internships:placement_board": lambda user: [PlacementFactory().cohort_id],
    "internships:allocation_start": lambda user: [PlacementWindowFactory().cohort_id],
    "internships:allocation_publish": lambda user: [_proposed_cohort()],
    "internships:eligibility_exception": lambda user: [AcceptedApplicationFactory().pk],
    "internships:placement_create": lambda user: [_application_left_out()],
    "internships:placement_move": lambda user: [PlacementFactory().pk],
    "internships:placement_withdraw": lambda user: [PlacementFactory().pk],
    "internships:attendance_mark": lambda user: [_intern_of(user).pk],
    "internships:check_in_confirm": lambda user: [_intern_of(user).pk],
    "internships:check_in": _placed_student,
    "internships:check_in_status": _placed_student,
    "internships:attendance_card": lambda user: [_intern_of(user).pk],
    # the signed-in person's own token; a student's for the anonymous visitor
    "internships:calendar_feed": lambda user: [calendar_token_for(user or StudentFactory())],
    "courses:course": lambda user: [_course_code(user)],
    "courses:lesson": lambda user: [_course_code(user), 1],
    "courses:lesson_complete": lambda user: [_course_code(user), 1],
    "courses:lesson_attachment": lambda user: [_course_code(user), 1],
    "courses:quiz": lambda user: [_course_code(user)],
    "courses:quiz_result": lambda user: [_course_code(user, quiz_taken=True), 1],
    # evaluations: rubric and score spread
    "evaluations:rubric": lambda user: [PlacementFactory().cohort_id],
    "evaluations:mentor_scores": lambda user: [PlacementFactory().cohort_id],
    # evaluations: mentor evaluations
    "evaluations:evaluation_form": lambda user: [_evaluated_intern_of(user).pk, 1],
    "evaluations:evaluation_autosave": lambda user: [_evaluated_intern_of(user).pk, 1],
    "evaluations:evaluation_detail": lambda user: [_released_evaluation_for(user).pk],
    "evaluations:cohort_evaluations": lambda user: [SubmittedEvaluationFactory().placement.cohort_id],
    "evaluations:evaluations_release": lambda user: [
        SubmittedEvaluationFactory(released_at=None).placement.cohort_id
    ],
    # evaluations: reflections
    "evaluations:reflection_write": _reflection_week,
    "evaluations:reflection_reply": _reflection_to_reply,
    # evaluations: results and certificates
    "evaluations:assessment_settings": lambda user: [PlacementFactory().cohort_id],
    "evaluations:results": lambda user: [_certificate().result.placement.cohort_id],
    "evaluations:results_recompute": lambda user: [PlacementFactory().cohort_id],
    "evaluations:results_confirm": lambda user: [PlacementFactory().cohort_id],  # refused: pending
    "evaluations:result_override": lambda user: [_certificate().result_id],
    "evaluations:certificates_issue": lambda user: [_certificate().result.placement.cohort_id],
    "evaluations:certificate_download": lambda user: [_certificate().pk],
    "evaluations:certificate_revoke": lambda user: [_certificate().pk],
    "evaluations:certificate_reissue": lambda user: [_certificate().pk],
    "evaluations:certificate_pdf": _certified_student,
    "evaluations:verify": lambda user: [_certificate().code],
    # recommendations: staff side
    "recommendations:withdraw": lambda user: [RecommendationFactory().pk],
    "recommendations:access_log": lambda user: [RecommendationFactory().student_id],
    "recommendations:hiring_settings": lambda user: [CohortFactory().pk],
    # recommendations: HR board
    "recommendations:candidate": lambda user: [RecommendationFactory().pk],
    "recommendations:cv": lambda user: [RecommendationFactory().pk],
    "recommendations:move": lambda user: [RecommendationFactory().pk],
    "recommendations:interview": lambda user: [_recommendation_in_review().pk],
    # recommendations: the student side
    "recommendations:answer_offer": lambda user: [_recommendation_in(Recommendation.Status.OFFER, user).pk],
    "recommendations:my_interview_ics": lambda user: [
        _recommendation_in(Recommendation.Status.INTERVIEW, user).pk
    ],
}
POST_DATA = {
    "courses:attempts_grant": {"extra": "1", "reason": "Power cut during the attempt"},
    "accounts:set_language": {"language": "en", "next": "/"},
    "internships:eligibility_exception": {"reason": "Course credit from an exchange semester"},
    "internships:placement_withdraw": {"reason": "Left the programme"},
    "internships:attendance_mark": {"mark": "present"},
    "internships:check_in_confirm": {"code": "123456"},
    # evaluations: mentor evaluations
    "evaluations:evaluation_autosave": {"revision": "0", "comment": "Friendly with customers"},
    # recommendations: staff side
    "recommendations:withdraw": {"version": "1", "note": "The graduate took another job"},
    # recommendations: HR board
    "recommendations:move": {"to_status": "reviewing", "version": "1"},
    # recommendations: the student side
    "recommendations:answer_offer": {"version": "1", "answer": "accept"},
}
# What the page must say, whoever opens it.
SAYS = {
    "accounts:password_reset_confirm": "cannot be used",
    "accounts:invitation_accept": "not valid",
    "internships:calendar_feed": "BEGIN:VCALENDAR",
}


def project_url_names() -> set[str]:
    """Every named URL of the project, namespaced; of the Django admin only its index."""
    names = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern.url_patterns, namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(prefix + pattern.name)

    walk(get_resolver().url_patterns, "")
    return {name for name in names if not name.startswith("admin:") or name == "admin:index"}


def test_every_url_of_the_project_is_in_the_matrix():
    names = project_url_names()
    missing = names - MATRIX.keys()
    stale = MATRIX.keys() - names
    assert not missing, f"Add these URLs to MATRIX in {__name__}: {sorted(missing)}"
    assert not stale, f"These MATRIX entries match no URL: {sorted(stale)}"


def test_every_matrix_row_covers_every_role():
    for name, row in MATRIX.items():
        assert set(row) == set(ROLES), name


@pytest.mark.parametrize(
    "url_name, role, persona",
    [(name, role, role) for name in MATRIX for role in ROLES],
    indirect=["persona"],
)
def test_role_gets_expected_status(client, url_name, role, persona):
    if persona is not None:
        client.force_login(persona)
    args = ARGS.get(url_name, lambda user: [])(persona)
    url = reverse(url_name, args=args)
    send = client.post if url_name in POST_ONLY else client.get
    response = send(url, POST_DATA.get(url_name, {}))

    expected = MATRIX[url_name][role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected, f"{role} on {url_name}: {response.status_code}"
    if url_name in SAYS:
        assert SAYS[url_name] in response.content.decode()


@pytest.mark.parametrize("url_name", sorted(POST_ONLY))
def test_post_only_views_refuse_get(client, admin_user, url_name):
    client.force_login(admin_user)
    args = ARGS.get(url_name, lambda user: [])(admin_user)
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 405


# --- Someone else's object → 404 ------------------------------------------------------------------
#
# Every URL that takes an object (a path argument) is either in OWNED — each role that opens its own
# such objects gets 404 (not 200, not 403) for the same kind of object belonging to someone else in
# that role, and a POST to it changes nothing — or in NO_OWNER with the reason there is no
# "someone else's" object for that role.


@dataclass
class Case:
    """URL arguments, the POST data, and a snapshot of what a POST could change."""

    args: list
    state: Callable[[], object]
    data: dict = field(default_factory=dict)
    placement: int | None = None  # the placement the object belongs to, when args[0] is not it


def _row(obj) -> dict:
    """The object's row as it is in the database now."""
    return type(obj).objects.filter(pk=obj.pk).values().first()


_SAME_ROLE = {
    Role.STUDENT: StudentFactory,
    Role.STAFF: StaffFactory,
    Role.HR: HRFactory,
    Role.ADMIN: AdminFactory,
    Role.MENTOR: MentorUserFactory,
}


def _another(user):
    """Another person in the same role (a mentor of another store)."""
    if user.role == Role.MENTOR:
        return MentorFactory().user
    return _SAME_ROLE[user.role]()


def _notification(viewer, mine):
    notification = NotificationFactory(user=viewer if mine else _another(viewer))
    return Case([notification.pk], lambda: _row(notification))


def _invitation(viewer, mine):
    """Staff invite students (and staff), Xiaomi's HR mentors (and HR): the other side's invitation
    is not theirs to resend."""
    staff_side = viewer.role == Role.STAFF
    if mine:
        invitee = StudentFactory if staff_side else MentorUserFactory
        inviter = viewer
    else:
        invitee = MentorUserFactory if staff_side else StudentFactory
        inviter = HRFactory() if staff_side else StaffFactory()
    invitation = InvitationFactory(user=invitee(is_active=False, password=None), invited_by=inviter)
    return Case([invitation.pk], lambda: _row(invitation))


def _application(viewer, mine):
    application = SubmittedApplicationFactory(student=viewer if mine else _another(viewer))
    return Case([application.pk], lambda: _row(application))


def _enrolled(viewer, mine, lessons=2):
    """A course (lessons, a one-question quiz) someone is enrolled in: the viewer or another student."""
    course = course_with_content(lessons=lessons, single=1, multiple=0)
    enrolment = EnrolmentFactory(student=viewer if mine else _another(viewer), course=course)
    return course, enrolment


def _course_state(enrolment):
    return lambda: (
        list(enrolment.lesson_completions.values_list("lesson_id", flat=True)),
        list(enrolment.attempts.values("id", "number", "submitted_at", "score")),
    )


def _course_page(with_lesson=False):
    def build(viewer, mine):
        course, enrolment = _enrolled(viewer, mine)
        return Case([course.code, 1] if with_lesson else [course.code], _course_state(enrolment))

    return build


def _lesson_attachment(viewer, mine):
    course, enrolment = _enrolled(viewer, mine, lessons=1)
    course.lessons.get().attachment.save("checklist.pdf", ContentFile(PDF_BYTES))
    return Case([course.code, 1], _course_state(enrolment))


def _quiz_attempt_in_progress(viewer, mine):
    """Both students take the course; the attempt posted is the viewer's own or the other's."""
    course, enrolment = _enrolled(viewer, mine)
    if not mine:  # the viewer takes the same course, and posts the other student's attempt
        EnrolmentFactory(student=viewer, course=course)
    attempt = course_services.quiz_attempt_open(enrolment=enrolment)
    answers = {f"q{qid}": choices for qid, choices in quiz_answers(attempt).items()}
    return Case([course.code], lambda: _row(attempt), {"attempt": attempt.pk, **answers})


def _quiz_result(viewer, mine):
    """Both students take the course; only the owner has submitted attempt 1."""
    course, enrolment = _enrolled(viewer, mine)
    if not mine:
        EnrolmentFactory(student=viewer, course=course)
    attempt = course_services.quiz_attempt_open(enrolment=enrolment)
    course_services.quiz_attempt_submit(attempt=attempt, answers=quiz_answers(attempt))
    return Case([course.code, 1], lambda: _row(attempt))


def _intern(viewer, mine, pending_code=""):
    """A placement working today, of the viewer (a mentor) or of a mentor of another store; with
    `pending_code`, the student has started checking in today with that code."""
    placement = _working_today(mentor=viewer.mentor_profile if mine else MentorFactory())
    if pending_code:
        Attendance.objects.create(
            placement=placement,
            day=timezone.localdate(),
            check_in_code=pending_code,
            checked_in_at=timezone.now(),
        )
    return Case(
        [placement.pk],
        lambda: (_row(placement), list(placement.attendance.values())),
        {"mark": "present", "code": pending_code},
    )


def _intern_checking_in(viewer, mine):
    return _intern(viewer, mine, pending_code="123456")


# evaluations: mentor evaluations
def _evaluation_of_intern(viewer, mine):
    """Week 1 of a placement whose week ends today, of the viewer (a mentor) or another mentor."""
    placement = _week_1_due_today(mentor=viewer.mentor_profile if mine else MentorFactory())
    rubric = evaluation_services.rubric_current(cohort=placement.cohort)
    scores = {f"criterion_{c.pk}": "4" for c in rubric.criteria.all()}
    return Case(
        [placement.pk, 1],
        lambda: list(Evaluation.objects.filter(placement=placement).values()),
        {"revision": "0", "comment": "Learns fast", **scores},
    )


def _evaluation_to_read(viewer, mine):
    """A released evaluation of the viewer's own placement (student) or intern (mentor), or not."""
    owner = viewer if mine else _another(viewer)
    fields = {}
    if owner.role == Role.STUDENT:
        fields["application__student"] = owner
    else:
        fields["mentor"] = owner.mentor_profile
    evaluation = SubmittedEvaluationFactory(placement=PlacementFactory(**fields))
    return Case([evaluation.pk], lambda: _row(evaluation))


# evaluations: reflections
def _reflection_of_intern(viewer, mine):
    """A reflection of the viewer's (a mentor's) intern, or of an intern of a mentor of another store."""
    placement = _in_week_two(mentor=viewer.mentor_profile if mine else MentorFactory())
    reflection = ReflectionFactory(placement=placement)
    return Case([reflection.pk], lambda: _row(reflection), {"reply": "写得很好，继续加油。"}, placement.pk)


# recommendations: the student side
def _recommendation_of(status):
    def build(viewer, mine):
        recommendation = _recommendation_in(status, viewer if mine else _another(viewer))
        return Case([recommendation.pk], lambda: _row(recommendation), {"version": "1", "answer": "accept"})

    return build


OWNED = {
    # url name: (roles that own such objects, {method: how to build "mine" or "someone else's"})
    "notifications:open": (ROLES[1:], {"post": _notification}),
    # the administrator may resend every invitation: no "someone else's" for them
    "accounts:invitation_resend": (["staff", "hr"], {"post": _invitation}),
    # staff and the administrator see every application (→ review): only students own them
    "internships:application": (["student"], {"get": _application}),
    "internships:application_withdraw": (["student"], {"post": _application}),
    "internships:application_cv": (["student"], {"get": _application}),
    "courses:course": (["student"], {"get": _course_page()}),
    "courses:lesson": (["student"], {"get": _course_page(with_lesson=True)}),
    "courses:lesson_complete": (["student"], {"post": _course_page(with_lesson=True)}),
    "courses:lesson_attachment": (["student"], {"get": _lesson_attachment}),
    "courses:quiz": (["student"], {"get": _course_page(), "post": _quiz_attempt_in_progress}),
    "courses:quiz_result": (["student"], {"get": _quiz_result}),
    "internships:attendance_mark": (["mentor"], {"post": _intern}),
    "internships:attendance_card": (["mentor"], {"get": _intern}),
    "internships:check_in_confirm": (["mentor"], {"post": _intern_checking_in}),
    # evaluations: mentor evaluations
    "evaluations:evaluation_form": (
        ["mentor"],
        {"get": _evaluation_of_intern, "post": _evaluation_of_intern},
    ),
    "evaluations:evaluation_autosave": (["mentor"], {"post": _evaluation_of_intern}),
    "evaluations:evaluation_detail": (["student", "mentor"], {"get": _evaluation_to_read}),
    # evaluations: reflections
    "evaluations:reflection_reply": (
        ["mentor"],
        {"get": _reflection_of_intern, "post": _reflection_of_intern},
    ),
    # recommendations: the student side
    "recommendations:answer_offer": (["student"], {"post": _recommendation_of(Recommendation.Status.OFFER)}),
    "recommendations:my_interview_ics": (
        ["student"],
        {"get": _recommendation_of(Recommendation.Status.INTERVIEW)},
    ),
}

# Object URLs without "someone else's" object for the roles that may open them.
STAFF_SEE_ALL = "one programme office: staff (and the administrator) see every cohort and student"
HR_SEE_ALL = "Xiaomi's coordinator keeps every store and mentor of the programme"
NO_OWNER = {
    "accounts:password_reset_confirm": "the token in the link is the credential (a bad one: see MATRIX)",
    "accounts:invitation_accept": "the token in the link is the credential (an unknown one: 410, MATRIX)",
    "internships:calendar_feed": "the token is the credential: calendar apps fetch it without a session",
    "internships:apply": "an open cohort is offered to every student",
    "notifications:outbox_retry": STAFF_SEE_ALL,
    "courses:student_progress": STAFF_SEE_ALL,
    "courses:attempts_grant": STAFF_SEE_ALL,
    "internships:review_detail": STAFF_SEE_ALL,
    "internships:cohort_edit": STAFF_SEE_ALL,
    "internships:placement_board": STAFF_SEE_ALL,
    "internships:allocation_start": STAFF_SEE_ALL,
    "internships:allocation_publish": STAFF_SEE_ALL,
    "internships:eligibility_exception": STAFF_SEE_ALL,
    "internships:placement_create": STAFF_SEE_ALL,
    "internships:placement_move": STAFF_SEE_ALL,
    "internships:placement_withdraw": STAFF_SEE_ALL,
    # Xiaomi's roles see the cohort too; which students they see is consent, filtered on the page
    "internships:seats_grid": f"{STAFF_SEE_ALL}; {HR_SEE_ALL}",
    "internships:attendance_gaps": f"{STAFF_SEE_ALL}; {HR_SEE_ALL} (students filtered by consent)",
    "internships:store_edit": HR_SEE_ALL,
    "internships:mentor_edit": HR_SEE_ALL,
    # evaluations: rubric and score spread
    "evaluations:rubric": f"{STAFF_SEE_ALL}; Xiaomi's coordinator reads every cohort's rubric",
    "evaluations:mentor_scores": f"{STAFF_SEE_ALL}; {HR_SEE_ALL} (scores filtered by consent)",
    # evaluations: mentor evaluations
    "evaluations:cohort_evaluations": f"{STAFF_SEE_ALL}; {HR_SEE_ALL} (students filtered by consent)",
    "evaluations:evaluations_release": STAFF_SEE_ALL,
    # evaluations: reflections
    "evaluations:reflection_write": "the week of the student's own placement: no one else's can be named",
    # evaluations: results and certificates
    "evaluations:assessment_settings": STAFF_SEE_ALL,
    "evaluations:results": f"{STAFF_SEE_ALL}; Xiaomi's roles see the cohort, its students filtered by consent",
    "evaluations:results_recompute": STAFF_SEE_ALL,
    "evaluations:results_confirm": STAFF_SEE_ALL,
    "evaluations:result_override": STAFF_SEE_ALL,
    "evaluations:certificates_issue": STAFF_SEE_ALL,
    "evaluations:certificate_download": STAFF_SEE_ALL,
    "evaluations:certificate_revoke": STAFF_SEE_ALL,
    "evaluations:certificate_reissue": STAFF_SEE_ALL,
    "evaluations:verify": "the code is the credential: public, no sign-in; any other code is the same 404",
    # recommendations: staff side
    "recommendations:withdraw": STAFF_SEE_ALL,
    "recommendations:access_log": STAFF_SEE_ALL,
    "recommendations:hiring_settings": STAFF_SEE_ALL,
    # recommendations: HR board
    **dict.fromkeys(
        [
            "recommendations:candidate",
            "recommendations:cv",
            "recommendations:move",
            "recommendations:interview",
        ],
        f"{STAFF_SEE_ALL}; Xiaomi HR share one pipeline of every recommended graduate who still consents "
        "(a withdrawn consent is a 404: tests/recommendations/test_candidate_page.py)",
    ),
}


def project_object_url_names() -> set[str]:
    """The named URLs whose path takes an argument (a path converter)."""
    names = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern.url_patterns, namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and pattern.pattern.converters:
                names.add(prefix + pattern.name)

    walk(get_resolver().url_patterns, "")
    return {name for name in names if not name.startswith("admin:")}


def test_every_object_url_says_whose_objects_it_shows():
    names = project_object_url_names()
    missing = names - OWNED.keys() - NO_OWNER.keys()
    stale = (OWNED.keys() | NO_OWNER.keys()) - names
    assert not missing, (
        f"Add these URLs to OWNED (or NO_OWNER, with a reason) in {__name__}: {sorted(missing)}"
    )
    assert not stale, f"These OWNED/NO_OWNER entries match no object URL: {sorted(stale)}"
    assert not OWNED.keys() & NO_OWNER.keys()
    for name, (roles, _builds) in OWNED.items():  # only roles that may open the page
        assert all(MATRIX[name][role] in (200, 302, 404) for role in roles), name


OWNED_CASES = [
    (name, method, role) for name, (roles, builds) in OWNED.items() for method in builds for role in roles
]


def _send(client, method, url_name, case):
    return getattr(client, method)(reverse(url_name, args=case.args), case.data if method == "post" else {})


@pytest.mark.parametrize("url_name, method, persona", OWNED_CASES, indirect=["persona"])
def test_someone_elses_object_is_not_found(client, url_name, method, persona):
    client.force_login(persona)
    case = OWNED[url_name][1][method](persona, mine=False)
    before = case.state()

    response = _send(client, method, url_name, case)

    assert response.status_code == 404, f"{persona.role} {method} someone else's {url_name}"
    assert case.state() == before


@pytest.mark.parametrize("url_name, method, persona", OWNED_CASES, indirect=["persona"])
def test_own_object_is_found(client, url_name, method, persona):
    """The same builder with the viewer as owner opens (so the 404 above is about the owner), and a
    POST changes what the snapshot watches (so "unchanged" above can fail)."""
    client.force_login(persona)
    case = OWNED[url_name][1][method](persona, mine=True)
    before = case.state()

    response = _send(client, method, url_name, case)

    assert response.status_code in (200, 302), (
        f"{persona.role} {method} own {url_name}: {response.status_code}"
    )
    if method == "post":
        assert case.state() != before


MENTOR_OBJECT_URLS = [
    (name, method) for name, (roles, builds) in OWNED.items() if roles == ["mentor"] for method in builds
]


@pytest.mark.parametrize("url_name, method", MENTOR_OBJECT_URLS)
def test_a_colleague_in_the_same_store_cannot_open_the_mentors_intern(client, mentor, url_name, method):
    """Interns are their own mentor's, not the store's."""
    case = OWNED[url_name][1][method](mentor, mine=True)
    colleague = MentorFactory(store=mentor.mentor_profile.store).user
    client.force_login(colleague)
    before = case.state()

    response = _send(client, method, url_name, case)

    assert response.status_code == 404
    assert case.state() == before


@pytest.mark.parametrize("url_name, method", MENTOR_OBJECT_URLS)
def test_a_mentor_cannot_open_an_intern_not_yet_published(client, mentor, url_name, method):
    case = OWNED[url_name][1][method](mentor, mine=True)
    Placement.objects.filter(pk=case.placement or case.args[0]).update(status=Placement.Status.PROPOSED)
    client.force_login(mentor)
    before = case.state()

    response = _send(client, method, url_name, case)

    assert response.status_code == 404
    assert case.state() == before
