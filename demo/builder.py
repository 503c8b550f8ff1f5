"""The demo programme: three cohorts, five courses, Shenzhen stores, mentors and people.

Cohorts, profiles, applications (draft, submit, decide), enrolments, lessons and quizzes, seats,
allocation, publication, attendance and reminders go through the apps' services, as a person
would through the pages. Written directly: the demo accounts and the store and mentor registry
(which the pages edit with plain model forms, no service), and timestamps moved into the past
(an application "submitted 60 days ago", courses completed months ago), which no service offers
on purpose.
"""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Language, Role, User
from courses import services as course_services
from courses.loader import CONTENT_DIR, course_load
from courses.models import Enrolment
from internships.models import Application, ApplicationEvent, Cohort, Mentor, Store
from internships.services import (
    allocation_publish,
    allocation_run,
    application_decide,
    application_save_draft,
    application_submit,
    attendance_mark,
    cohort_save,
    placements_complete_finished,
    seats_save,
    student_profile_save,
)
from notifications.services import reminders_plan_daily, reminders_release_today

from .assessment import demo_assessment_in_week_two, demo_finished_cohort
from .data import (
    DEMO_CV,
    ENROLLED_STUDENTS,
    GRADUATES,
    MAIL_DOMAINS,
    MAJORS,
    MENTORS,
    MOTIVATION,
    NOT_YET_APPLIED,
    STORES,
    STUDENTS,
)
from .recommendations import demo_recommendations


def _demo_placements_running(students, courses, staff, today) -> None:
    """A summer cohort whose students finished the courses and are in the stores this week, with
    the demo mentor, so the mentor's attendance page has interns today."""
    monday = today - timedelta(days=today.weekday())
    mentor = Mentor.objects.get(user__email="mentor01@xiaomi-demo.cn")
    summer = _cohort_with_applications(
        "2026-summer", "2026年夏季班", "Summer 2026 cohort", Cohort.Status.RUNNING,
        opens=today - timedelta(days=200), closes=today - timedelta(days=170), size=len(students),
        first_due=today - timedelta(days=120), window_start=monday - timedelta(days=7), courses=courses,
        applicants=[(student, 180, (Application.Status.ACCEPTED, staff)) for student in students],
        first_choice=mentor.store,
        what_to_bring=(
            "学生证、身份证、黑色长裤和运动鞋；门店提供工服。",
            "Student card, ID card, black trousers and trainers; the store provides the uniform.",
        ),
    )  # fmt: skip
    if summer.placements.exists():
        demo_assessment_in_week_two(summer)
        return
    _complete_courses(students, courses, timezone.now() - timedelta(days=100))
    window = summer.placement_windows.get()
    seats_save(window=window, seats={mentor.store: len(students)})
    allocation_run(cohort=summer, by=staff, seed="demo-2026-summer")
    allocation_publish(cohort=summer, by=staff)
    # The mentors kept the register until the day before yesterday; yesterday is still open, so
    # the missing-attendance reminder and the "earlier days" list have something to show.
    marks = ["present"] * 8 + ["late", "present", "absent"]
    for placement in summer.placements.select_related("mentor__user", "window", "cohort"):
        past = [day for day in placement.working_days() if day < today - timedelta(days=1)]
        for index, day in enumerate(past[:-1] if len(past) > 1 else past):
            attendance_mark(
                placement=placement,
                day=day,
                mark=marks[(index + placement.pk) % len(marks)],
                by=placement.mentor.user,
            )
    demo_assessment_in_week_two(summer)


def _complete_courses(students, courses, completed_at) -> None:
    """The students pass every lesson and quiz, on the date given."""
    for student in students:
        for enrolment in student.enrolments.filter(course__in=courses):
            for lesson in enrolment.course.lessons.all():
                course_services.lesson_complete(enrolment=enrolment, lesson=lesson)
            if enrolment.quiz_passed_at is None and enrolment.course.questions.exists():
                _pass_quiz(enrolment)
        Enrolment.objects.filter(student=student).update(completed_at=completed_at)


def _demo_graduates(graduates, courses, staff, today) -> None:
    """A spring cohort that went through the whole programme months ago: courses, three weeks in
    a store with two mentors, evaluations and reflections, results confirmed, certificates."""
    window_start = today - timedelta(days=today.weekday() + 7 * 26)  # a Monday, half a year ago
    store = Store.objects.filter(is_training_store=True).order_by("code")[1]
    spring = _cohort_with_applications(
        "2026-spring", "2026年春季班", "Spring 2026 cohort", Cohort.Status.FINISHED,
        opens=window_start - timedelta(days=200), closes=window_start - timedelta(days=170),
        size=len(graduates), first_due=window_start - timedelta(days=100), window_start=window_start,
        courses=courses, applicants=[(student, 180 + 26 * 7, (Application.Status.ACCEPTED, staff)) for student in graduates],
        first_choice=store,
    )  # fmt: skip
    if not spring.placements.exists():
        _complete_courses(graduates, courses, timezone.now() - timedelta(days=26 * 7 + 50))
        window = spring.placement_windows.get()
        # two seats in every training store: each graduate gets one of their wishes
        seats_save(window=window, seats=dict.fromkeys(Store.objects.filter(is_training_store=True), 2))
        allocation_run(cohort=spring, by=staff, seed="demo-2026-spring")
        allocation_publish(cohort=spring, by=staff)
        marks = ["present"] * 12 + ["late"]
        for placement in spring.placements.select_related("mentor__user", "window", "cohort"):
            for index, day in enumerate(placement.working_days()):
                attendance_mark(
                    placement=placement, day=day, mark=marks[(index + placement.pk) % len(marks)],
                    by=placement.mentor.user,
                )  # fmt: skip
        placements_complete_finished(today=today)
    demo_finished_cohort(spring, staff)
    demo_recommendations(spring, staff, today)


def _cohort(
    code, name_zh, name_en, status, *, opens, closes, size, first_due, window_start, courses, **extra
) -> Cohort:
    cohort = Cohort.objects.filter(code=code).first()
    return cohort_save(
        cohort=cohort,
        fields={
            "code": code,
            "name_zh": name_zh,
            "name_en": name_en,
            "status": status,
            "applications_open_on": opens,
            "applications_close_on": closes,
            "target_size": size,
            **extra,
        },
        course_due_dates={course: first_due + timedelta(days=14 * i) for i, course in enumerate(courses)},
        windows=[(window_start, window_start + timedelta(days=20))],
    )


def _cohort_with_applications(
    code, name_zh, name_en, status, *, applicants, first_choice=None, what_to_bring=("", ""), **dates
) -> Cohort:
    """A cohort whose applications were made while it was open, as students make them.

    The cohort is opened for today, the students apply through the services, and then it gets its
    real dates and status (a cohort that closed months ago).
    """
    bring = {"what_to_bring_zh": what_to_bring[0], "what_to_bring_en": what_to_bring[1]}
    today = timezone.localdate()
    open_dates = {**dates, "opens": min(dates["opens"], today), "closes": max(dates["closes"], today)}
    cohort = _cohort(code, name_zh, name_en, Cohort.Status.OPEN, **open_dates, **bring)
    for student, days_ago, decide in applicants:
        _application(student, cohort, days_ago=days_ago, decide=decide, first_choice=first_choice)
    return _cohort(code, name_zh, name_en, status, **dates, **bring)


def _application(student, cohort, *, days_ago, decide=None, first_choice=None) -> Application:
    """A demo application made through the services: a draft, or submitted `days_ago` with consent
    and a small PDF CV like real ones, then decided if `decide` is (decision, staff member)."""
    existing = Application.objects.filter(student=student, cohort=cohort).first()
    if existing is not None:
        return existing
    stores = list(Store.objects.filter(is_training_store=True).order_by("code"))
    first = first_choice or stores[(student.pk + 1) % len(stores)]
    application = application_save_draft(
        student=student,
        cohort=cohort,
        motivation=MOTIVATION,
        window=cohort.placement_windows.first(),
        confirms_availability=True,
        preferences=[
            {"store": first},
            {"store": stores[(student.pk + 2) % len(stores)]},
            {"district": stores[student.pk % len(stores)].district},
        ],
        cv=ContentFile(DEMO_CV, name=f"demo-cv-{student.pk}.pdf") if days_ago is not None else None,
    )
    if days_ago is None:
        return application
    application = application_submit(
        application=application, consents=True, shares_with_xiaomi=student.pk % 3 != 0
    )
    if decide:
        decision, by = decide
        application = application_decide(application=application, decision=decision, note="", by=by)
    _backdate(application, timezone.now() - timedelta(days=days_ago))
    return application


def _backdate(application: Application, when) -> None:
    """Move an application's submission (and its decision, a day later) into the past."""
    Application.objects.filter(pk=application.pk).update(submitted_at=when, consent_at=when)
    Application.objects.filter(pk=application.pk, shares_with_xiaomi=True).update(share_consent_at=when)
    Application.objects.filter(pk=application.pk, decided_at__isnull=False).update(
        decided_at=when + timedelta(days=1)
    )
    ApplicationEvent.objects.filter(application=application).update(created_at=when)


def _demo_course_progress(students, courses, today) -> None:
    """Enrol the running cohort's students with a due date per course, with varied progress."""
    for student_index, student in enumerate(students):
        for course_index, course in enumerate(courses):
            enrolment = course_services.enrolment_create(
                student=student, course=course, due_on=today + timedelta(days=5 + 14 * course_index)
            )
            # Student 0 (the demo sign-in) has finished the first course and started the second.
            finished_courses = 1 if student_index == 0 else student_index % 4
            lessons = list(course.lessons.order_by("order"))
            if course_index < finished_courses:
                for lesson in lessons:
                    course_services.lesson_complete(enrolment=enrolment, lesson=lesson)
                if enrolment.quiz_passed_at is None and course.questions.exists():
                    _pass_quiz(enrolment)
            elif course_index == finished_courses:
                for lesson in lessons[: 1 + student_index % 2]:
                    course_services.lesson_complete(enrolment=enrolment, lesson=lesson)


def _pass_quiz(enrolment) -> None:
    attempt = course_services.quiz_attempt_open(enrolment=enrolment)
    answers = {
        question.id: [c.id for c in question.choices.all() if c.is_correct]
        for question in enrolment.course.questions.prefetch_related("choices")
    }
    course_services.quiz_attempt_submit(attempt=attempt, answers=answers)


def _demo_student(i, name, english, password_hash, *, year, campus_name) -> User:
    """Student number `i` of the intake of `year` (who graduates four years later), with a profile."""
    domain = MAIL_DOMAINS[i % len(MAIL_DOMAINS)]
    local = f"{year}{i + 1:05d}" if domain != "stu.sztu.edu.cn" else f"{campus_name}{i + 1:02d}"
    user = _person(
        f"{local}@{domain}",
        name,
        Role.STUDENT,
        password_hash,
        english_name=english,
        language=Language.EN if english and i % 2 else Language.ZH_HANS,
        phone=f"1{3 if year == 2023 else 5}{(i * 7919) % 1000000000:09d}",
    )
    major = MAJORS[i % len(MAJORS)]
    student_profile_save(
        user=user,
        student_number=f"{year}{i + 1:06d}",
        major=major,
        class_name=f"{major[:2]}{year % 100}{i % 3 + 1:02d}",
        graduation_year=year + 4,
    )
    return user


def _person(email, full_name, role, password_hash, **extra) -> User:
    user, _created = User.objects.update_or_create(
        email=email,
        defaults={
            "full_name": full_name,
            "role": role,
            "password": password_hash,
            "is_active": True,
            **extra,
        },
    )
    return user


@transaction.atomic
def build_demo(password: str) -> list[tuple[str, str]]:
    """Create or update the demo data; returns (role label, e-mail) of the demo sign-ins."""
    today = timezone.localdate()
    # One hash for every demo account: hashing 50 passwords separately takes tens of seconds.
    password = make_password(password)
    courses = [course_load(path) for path in sorted(CONTENT_DIR.glob("*.toml"))]

    stores = []
    for i, (code, name_zh, name_en, district, addr_zh, addr_en) in enumerate(STORES):
        store, _created = Store.objects.update_or_create(
            code=code,
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "district": district,
                "address_zh": addr_zh,
                "address_en": addr_en,
                "phone": f"0755-8{i:03d}{(i * 37) % 10000:04d}",
                "opening_hours": "10:00–22:00",
                "is_active": True,
                "is_training_store": i != 11,
            },
        )
        stores.append(store)

    sign_ins = []
    for i, name in enumerate(MENTORS):
        store = stores[i % len(stores)]
        user = _person(f"mentor{i + 1:02d}@xiaomi-demo.cn", name, Role.MENTOR, password)
        # Most certifications are valid; one has lapsed and one lapses soon, so the HR page has work.
        expires = today + timedelta(days=[400, 300, 30, -5][i % 4] if i < 4 else 365 + i)
        Mentor.objects.update_or_create(
            user=user,
            defaults={
                "store": store,
                "certified_on": expires - timedelta(days=730),
                "certification_expires_on": expires,
                "capacity": 2 + i % 2,
            },
        )
        if i == 0:
            sign_ins.append((Role.MENTOR.label, user.email))

    people = [
        ("staff@sztu-demo.cn", "李老师", Role.STAFF, {"english_name": "Ms Li"}),
        ("career@sztu-demo.cn", "陈主任", Role.STAFF, {}),
        ("hr@xiaomi-demo.cn", "张经理", Role.HR, {"english_name": "Grace Zhang"}),
        ("admin@sztu-demo.cn", "系统管理员", Role.ADMIN, {"is_staff": True, "is_superuser": True}),
    ]
    for email, name, role, extra in people:
        user = _person(email, name, role, password, **extra)
        if email != "career@sztu-demo.cn":
            sign_ins.append((role.label, user.email))

    students = [
        _demo_student(i, name, english, password, year=2023, campus_name="student")
        for i, (name, english) in enumerate(STUDENTS)
    ]
    sign_ins.insert(0, (Role.STUDENT.label, students[0].email))
    sign_ins.insert(1, (str(_("Student (can apply)")), students[NOT_YET_APPLIED].email))
    graduates = [
        _demo_student(i, name, english, password, year=2022, campus_name="alumni")
        for i, (name, english) in enumerate(GRADUATES)
    ]
    staff = User.objects.get(email="staff@sztu-demo.cn")
    accepted = (Application.Status.ACCEPTED, staff)
    _cohort_with_applications(
        "2026-autumn", "2026年秋季班", "Autumn 2026 cohort", Cohort.Status.RUNNING,
        opens=today - timedelta(days=80), closes=today - timedelta(days=50), size=30,
        first_due=today + timedelta(days=5), window_start=today + timedelta(days=75), courses=courses,
        applicants=[(student, 60, accepted) for student in students[:ENROLLED_STUDENTS]],
    )  # fmt: skip
    _cohort_with_applications(
        "2027-spring", "2027年春季班", "Spring 2027 cohort", Cohort.Status.OPEN,
        opens=today - timedelta(days=10), closes=today + timedelta(days=25), size=40,
        first_due=today + timedelta(days=60), window_start=today + timedelta(days=140), courses=courses,
        # two drafts, then submitted applications waiting for a decision for one to six days
        applicants=[
            (student, None if offset < 2 else 1 + offset % 6, None)
            for offset, student in enumerate(students[ENROLLED_STUDENTS:NOT_YET_APPLIED])
        ],
    )  # fmt: skip
    _demo_course_progress(students[:ENROLLED_STUDENTS], courses, today)
    _demo_placements_running(students[NOT_YET_APPLIED + 4 :], courses, staff, today)
    _demo_graduates(graduates, courses, staff, today)
    sign_ins.append((str(_("Student (in a store this week)")), students[NOT_YET_APPLIED + 4].email))
    sign_ins.append((str(_("Student (graduate, certificate, Xiaomi offer)")), graduates[0].email))
    # Plan today's reminders and digests and release them now, whatever the hour, so the demo's
    # worker has the same mail to send at 06:00 as at 23:00.
    reminders_plan_daily()
    reminders_release_today()
    return sign_ins
