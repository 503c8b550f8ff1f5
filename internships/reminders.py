"""The programme's reminder kinds and daily planners, registered with the reminder engine."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation, Role, User
from courses.selectors import enrolments_blocked_on_quiz
from notifications import kinds
from notifications.services import at_nine, reminder_plan

from .models import Application, Attendance, Cohort, Mentor, Placement
from .services import NOT_PLACED, PUBLISHED_MENTOR, PUBLISHED_STUDENT, START_MENTOR, START_STUDENT

CERTIFICATION_NOTICE_DAYS = 30
INVITATION_STALE_DAYS = 3
APPLICATION_WAITING_DAYS = 3
COHORT_CLOSING_DAYS = 7
DIGEST_LIST_LIMIT = 10


# --- Mentor: certification about to expire -------------------------------------------------


def _mentor(reminder) -> Mentor | None:
    return Mentor.objects.select_related("store").filter(pk=reminder.subject_id).first()


def _certification_still_due(reminder) -> bool:
    mentor = _mentor(reminder)
    return (
        mentor is not None
        and mentor.user_id == reminder.recipient_id
        # renewed since planning: the reason has gone
        and mentor.certification_expires_on.isoformat() == reminder.context.get("expires_on")
        and mentor.certification_expires_on >= timezone.localdate()
    )


def _certification_context(reminder) -> dict:
    mentor = _mentor(reminder)
    return {"mentor": mentor, "store": mentor.store, "expires_on": mentor.certification_expires_on}


CERTIFICATION_EXPIRING = kinds.register(
    kinds.Kind(
        key="mentor_certification_expiring",
        label=_("My mentor certification is about to expire"),
        template="internships/mentor_certification_expiring",
        audience=(Role.MENTOR,),
        still_due=_certification_still_due,
        context=_certification_context,
        link=lambda reminder: "/mentor/",
    )
)


def plan_certification_reminders() -> int:
    """One reminder per mentor and expiry date, due 30 days before it (at once if that is past)."""
    today = timezone.localdate()
    horizon = today + timedelta(days=CERTIFICATION_NOTICE_DAYS)
    planned = 0
    mentors = Mentor.objects.filter(
        certification_expires_on__gte=today, certification_expires_on__lte=horizon, user__is_active=True
    ).select_related("user")
    for mentor in mentors:
        reminder_plan(
            recipient=mentor.user,
            kind=CERTIFICATION_EXPIRING.key,
            about=mentor,
            # computed from the expiry date, so a planner that runs twice or late plans it once
            due_at=at_nine(mentor.certification_expires_on - timedelta(days=CERTIFICATION_NOTICE_DAYS)),
            context={"expires_on": mentor.certification_expires_on.isoformat()},
        )
        planned += 1
    return planned


# --- Daily digests for university staff and Xiaomi HR --------------------------------------


def _stale_invitations(role: str):
    cutoff = timezone.now() - timedelta(days=INVITATION_STALE_DAYS)
    return Invitation.objects.filter(
        user__role=role, accepted_at__isnull=True, created_at__lte=cutoff, expires_at__gt=timezone.now()
    ).select_related("user")


def _section(title, rows, line) -> list[dict]:
    """A digest section (title, total, up to ten lines), or nothing when there is nothing waiting."""
    total = rows.count()
    if not total:
        return []
    return [{"title": title, "total": total, "lines": [line(row) for row in rows[:DIGEST_LIST_LIMIT]]}]


def _invitee(invitation) -> str:
    return f"{invitation.user.full_name} <{invitation.user.email}>"


def staff_digest_sections() -> list[dict]:
    """What waits for the programme office today. Later features add their sections."""
    today = timezone.localdate()
    waiting = Application.objects.filter(
        status=Application.Status.SUBMITTED,
        submitted_at__lte=timezone.now() - timedelta(days=APPLICATION_WAITING_DAYS),
    ).select_related("student", "cohort")
    closing = Cohort.objects.filter(
        status=Cohort.Status.OPEN,
        applications_close_on__gte=today,
        applications_close_on__lte=today + timedelta(days=COHORT_CLOSING_DAYS),
    )
    return [
        *_section(
            _("Applications waiting for a decision for more than 3 days"),
            waiting.order_by("submitted_at"),
            lambda a: (
                f"{a.student.full_name} · {a.cohort.name} · {date_format(timezone.localdate(a.submitted_at))}"
            ),
        ),
        *_section(
            _("Students invited more than 3 days ago who have not signed in"),
            _stale_invitations(Role.STUDENT),
            _invitee,
        ),
        *_section(
            _("Cohorts whose applications close within 7 days"),
            closing.order_by("applications_close_on"),
            lambda c: f"{c.name} · {date_format(c.applications_close_on)}",
        ),
        *_section(
            _("Students blocked after their last quiz attempt"),
            enrolments_blocked_on_quiz(),
            lambda e: f"{e.student.full_name} · {e.course.code} {e.course.title} · {e.best_score}%",
        ),
    ]


def hr_digest_sections() -> list[dict]:
    """What waits for the Xiaomi coordinator today."""
    soon = timezone.localdate() + timedelta(days=CERTIFICATION_NOTICE_DAYS)
    expiring = Mentor.objects.filter(certification_expires_on__lte=soon).select_related("user", "store")
    return [
        *_section(
            _("Mentor certifications expired or expiring within 30 days"),
            expiring.order_by("certification_expires_on"),
            lambda m: f"{m.user.full_name} · {m.store.name} · {date_format(m.certification_expires_on)}",
        ),
        *_section(
            _("Mentors invited more than 3 days ago who have not signed in"),
            _stale_invitations(Role.MENTOR),
            _invitee,
        ),
    ]


def _digest_kind(key: str, label, audience: str, sections, title, link: str) -> kinds.Kind:
    """A daily digest: sent only on days when one of its sections has something waiting."""
    return kinds.register(
        kinds.Kind(
            key=key,
            label=label,
            template="internships/daily_digest",
            audience=(audience,),
            still_due=lambda reminder: bool(sections()),
            context=lambda reminder: {"sections": sections(), "digest_title": title},
            link=lambda reminder: link,
        )
    )


STAFF_DIGEST = _digest_kind(
    "staff_daily_digest",
    _("Daily digest of what is waiting for the programme office"),
    Role.STAFF,
    staff_digest_sections,
    _("Programme office: what is waiting today"),
    "/staff/",
)
HR_DIGEST = _digest_kind(
    "hr_daily_digest",
    _("Daily digest of stores and mentors needing attention"),
    Role.HR,
    hr_digest_sections,
    _("Xiaomi coordination: what is waiting today"),
    "/xiaomi/",
)


def plan_daily_digests() -> int:
    """Today's digest for every active staff member and coordinator; sent only if it has items."""
    due_at = at_nine(timezone.localdate())
    planned = 0
    for kind, role in ((STAFF_DIGEST, Role.STAFF), (HR_DIGEST, Role.HR)):
        for user in User.objects.filter(role=role, is_active=True):
            reminder_plan(recipient=user, kind=kind.key, about=user, due_at=due_at)
            planned += 1
    return planned


# --- Decisions on applications (essential: they always reach the student) -------------------------


def _application(reminder) -> Application | None:
    return Application.objects.select_related("cohort").filter(pk=reminder.subject_id).first()


def _decision_kind(status: str, key: str, label) -> kinds.Kind:
    return kinds.register(
        kinds.Kind(
            key=key,
            label=label,
            template=f"internships/{key}",
            essential=True,
            audience=(Role.STUDENT,),
            # A decision changed before the e-mail left (a slip corrected) is not announced.
            still_due=lambda reminder: (a := _application(reminder)) is not None and a.status == status,
            context=lambda reminder: {
                "application": _application(reminder),
                "cohort": _application(reminder).cohort,
            },
            link=lambda reminder: "/student/",
        )
    )


_decision_kind(Application.Status.ACCEPTED, "application_accepted", _("My application was accepted"))
_decision_kind(
    Application.Status.WAITLISTED, "application_waitlisted", _("My application was put on the waiting list")
)
_decision_kind(Application.Status.REJECTED, "application_rejected", _("My application was not accepted"))

# --- Placement start (essential) and missing attendance -----------------------------------------


def _placement(reminder) -> Placement | None:
    return (
        Placement.objects.select_related("store", "mentor__user", "student", "window", "cohort")
        .filter(pk=reminder.subject_id)
        .first()
    )


def _placement_still_due(reminder) -> bool:
    p = _placement(reminder)
    return (
        p is not None
        and reminder.recipient_id in (p.student_id, p.mentor.user_id)
        and p.status == Placement.Status.PLANNED
        and p.window.starts_on.isoformat() == reminder.context.get("starts_on")
        and p.store_id == reminder.context.get("store")
    )


def _placement_kind(key: str, label, audience: str, link: str) -> kinds.Kind:
    return kinds.register(
        kinds.Kind(
            key=key,
            label=label,
            template=f"internships/{key}",
            essential=True,
            audience=(audience,),
            still_due=_placement_still_due,
            context=lambda reminder: {"placement": _placement(reminder)},
            link=lambda reminder: link,
        )
    )


_placement_kind(START_STUDENT, _("My store placement starts in 3 days"), Role.STUDENT, "/student/")
_placement_kind(START_MENTOR, _("My intern arrives in 3 days"), Role.MENTOR, "/mentor/")


# --- Publication (essential, due at once): placed students, their mentors, students not placed ---

PUBLISHED_STATUSES = (Placement.Status.PLANNED, Placement.Status.ACTIVE)


def _published_still_due(reminder) -> bool:
    p = _placement(reminder)
    return p is not None and p.student_id == reminder.recipient_id and p.status in PUBLISHED_STATUSES


def _mentors_new_interns(reminder) -> list[Placement]:
    """The interns the publication gave this mentor, still theirs and still coming (at send time)."""
    return list(
        Placement.objects.filter(
            pk__in=reminder.context.get("placements", []),
            mentor__user_id=reminder.recipient_id,
            status__in=PUBLISHED_STATUSES,
        )
        .select_related("student", "store", "window", "cohort")
        .order_by("window__starts_on", "student__full_name")
    )


def _not_placed_still_due(reminder) -> bool:
    application = _application(reminder)
    return (
        application is not None
        and application.status == Application.Status.ACCEPTED
        and not Placement.objects.filter(cohort_id=application.cohort_id, student_id=application.student_id)
        .exclude(status=Placement.Status.WITHDRAWN)
        .exists()
    )


kinds.register(
    kinds.Kind(
        key=PUBLISHED_STUDENT,
        label=_("My store placement is published"),
        template=f"internships/{PUBLISHED_STUDENT}",
        essential=True,
        audience=(Role.STUDENT,),
        still_due=_published_still_due,
        context=lambda reminder: {"placement": _placement(reminder)},
        link=lambda reminder: reverse("internships:student_home"),
    )
)
kinds.register(
    kinds.Kind(
        key=PUBLISHED_MENTOR,
        label=_("Interns are assigned to me"),
        template=f"internships/{PUBLISHED_MENTOR}",
        essential=True,
        audience=(Role.MENTOR,),
        still_due=lambda reminder: bool(_mentors_new_interns(reminder)),
        context=lambda reminder: {"interns": _mentors_new_interns(reminder)},
        link=lambda reminder: reverse("internships:mentor_home"),
    )
)
kinds.register(
    kinds.Kind(
        key=NOT_PLACED,
        label=_("I was not placed in a store (yet)"),
        template=f"internships/{NOT_PLACED}",
        essential=True,
        audience=(Role.STUDENT,),
        still_due=_not_placed_still_due,
        context=lambda reminder: {"application": (a := _application(reminder)), "cohort": a.cohort},
        link=lambda reminder: reverse("internships:student_home"),
    )
)


def _attendance_still_missing(reminder) -> bool:
    day = reminder.context.get("day")
    return not Attendance.objects.filter(placement_id=reminder.subject_id, day=day).exclude(mark="").exists()


ATTENDANCE_MISSING = kinds.register(
    kinds.Kind(
        key="attendance_missing",
        label=_("Attendance of my intern was not recorded yesterday"),
        template="internships/attendance_missing",
        audience=(Role.MENTOR,),
        still_due=_attendance_still_missing,
        context=lambda reminder: {
            "placement": _placement(reminder),
            "day": date_format(date.fromisoformat(reminder.context["day"])),
        },
        link=lambda reminder: "/mentor/attendance/",
    )
)


def plan_attendance_reminders() -> int:
    """Yesterday was a working day without an attendance mark: remind the mentor this morning."""
    yesterday = timezone.localdate() - timedelta(days=1)
    placements = Placement.objects.filter(
        status__in=[Placement.Status.PLANNED, Placement.Status.ACTIVE],
        window__starts_on__lte=yesterday,
        window__ends_on__gte=yesterday,
    ).select_related("mentor__user", "window", "cohort")
    marked = set(
        Attendance.objects.filter(placement__in=placements, day=yesterday)
        .exclude(mark="")
        .values_list("placement_id", flat=True)
    )
    planned = 0
    for placement in placements:
        if placement.pk in marked or yesterday not in placement.working_days():
            continue
        reminder_plan(
            recipient=placement.mentor.user,
            kind=ATTENDANCE_MISSING.key,
            about=placement,
            due_at=at_nine(timezone.localdate()),
            context={"day": yesterday.isoformat()},
        )
        planned += 1
    return planned


kinds.register_planner("attendance_missing", plan_attendance_reminders)
kinds.register_planner("mentor_certification_expiring", plan_certification_reminders)
kinds.register_planner("daily_digests", plan_daily_digests)
