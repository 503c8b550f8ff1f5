"""The assessment's reminders: evaluation due, overdue, escalated and final due to the mentor (and
the Xiaomi coordinator), the weekly reflection and the released evaluation to the student, and the
staff digest's overdue evaluations by store. Each goes out on its day, once, and not once its item
is submitted."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role
from evaluations.models import AssessmentSettings, Evaluation
from evaluations.reminders.evaluations import (
    plan_evaluation_released,
    plan_evaluation_reminders,
)
from evaluations.reminders.reflections import plan_reflection_reminders
from notifications import digests
from notifications.models import Notification, Reminder
from notifications.services import reminders_deliver_due, reminders_plan_daily
from tests.factories import (
    CohortFactory,
    EvaluationFactory,
    HRFactory,
    MentorFactory,
    PlacementFactory,
    PlacementWindowFactory,
    ReflectionFactory,
    StoreFactory,
    SubmittedEvaluationFactory,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 9, month: int = 12):
    """A moment in December 2026, Shanghai time, with the clock frozen."""
    return time_machine.travel(datetime(2026, month, day, hour, 0, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def window():
    """Monday 30 Nov – Friday 18 Dec 2026, Monday to Friday: week 1 ends Friday 4 Dec, week 2
    Friday 11 Dec, week 3 (and the placement) Friday 18 Dec."""
    return PlacementWindowFactory(
        cohort=CohortFactory(placement_weekdays="12345", name_zh="2026 冬季班", name_en="Winter 2026"),
        starts_on=date(2026, 11, 30),
        ends_on=date(2026, 12, 18),
    )


@pytest.fixture
def placement(window):
    return PlacementFactory(
        window=window,
        application__student__full_name="王小明",
        mentor__user__full_name="陈志强",
        mentor__store__name_zh="小米之家 南山海岸城店",
        mentor__store__name_en="Xiaomi Store Nanshan Coastal City",
    )


def rows(kind):
    return list(Reminder.objects.filter(kind=kind).order_by("pk"))


def submitted(placement, period):
    return EvaluationFactory(
        placement=placement, period=period, status=Evaluation.Status.SUBMITTED, submitted_at=timezone.now()
    )


# --- Mentor: weekly evaluation due ----------------------------------------------------------------


def test_the_weekly_evaluation_is_due_on_the_weeks_last_working_day_not_before(placement):
    with at(3, hour=20):  # Thursday of week 1
        plan_evaluation_reminders()
    assert rows("evaluation_due") == []

    with at(4, hour=7):  # Friday, before nine: planned for 09:00, nothing sent yet
        plan_evaluation_reminders()
        reminders_deliver_due()
    (reminder,) = rows("evaluation_due")
    assert reminder.recipient == placement.mentor.user
    assert reminder.due_on == date(2026, 12, 4) and reminder.context["periods"] == [1]
    assert mail.outbox == []

    with at(4, hour=9):
        reminders_deliver_due()
    assert [m.subject for m in mail.outbox] == ["Week 1 evaluation of 王小明 is due today"]
    assert reverse("evaluations:evaluation_form", args=[placement.pk, 1]) in mail.outbox[0].body


def test_a_planner_that_runs_twice_plans_and_sends_once(placement):
    with at(4):
        assert reminders_plan_daily()["evaluations_due"] == 1
        reminders_plan_daily()
        reminders_deliver_due()
        reminders_deliver_due()

    assert len(rows("evaluation_due")) == 1
    assert len([m for m in mail.outbox if "evaluation of" in m.subject]) == 1


def test_a_planner_that_missed_yesterday_catches_up_once(placement):
    with at(5):  # Saturday: Friday's run did not happen
        plan_evaluation_reminders()
    with at(6):
        plan_evaluation_reminders()

    assert [r.due_on for r in rows("evaluation_due")] == [date(2026, 12, 4)]


def test_a_submitted_evaluation_is_not_reminded(placement):
    with at(4, hour=8):
        submitted(placement, 1)
        plan_evaluation_reminders()

    assert rows("evaluation_due") == []


def test_the_reminder_is_cancelled_at_send_time_once_the_evaluation_is_submitted(placement):
    with at(4, hour=7):
        plan_evaluation_reminders()
        EvaluationFactory(placement=placement, period=1)  # a draft does not stop it…
    with at(4, hour=9):
        reminders_deliver_due()
    assert len(mail.outbox) == 1

    with at(6, hour=7):
        plan_evaluation_reminders()  # the overdue reminder, for 09:00 on Sunday
        Evaluation.objects.filter(placement=placement, period=1).update(
            status=Evaluation.Status.SUBMITTED, submitted_at=timezone.now()
        )
    with at(6, hour=9):
        reminders_deliver_due()  # …a submission does

    (overdue,) = rows("evaluation_overdue")
    assert overdue.status == Reminder.Status.CANCELLED and overdue.cancelled_reason == "no longer due"
    assert len(mail.outbox) == 1


def test_no_reminder_for_a_withdrawn_placement_or_once_results_are_confirmed(placement, window):
    PlacementFactory(window=window, status="withdrawn")
    confirmed = PlacementWindowFactory(
        cohort=CohortFactory(placement_weekdays="12345"), starts_on=window.starts_on, ends_on=window.ends_on
    )
    AssessmentSettings.objects.create(cohort=confirmed.cohort, results_confirmed_at=timezone.now())
    PlacementFactory(window=confirmed)

    with at(4):
        plan_evaluation_reminders()

    assert [r.subject_id for r in rows("evaluation_due")] == [placement.pk]


# --- Overdue, escalated ---------------------------------------------------------------------------


def test_overdue_two_days_after_the_due_day_not_before(placement):
    with at(5):
        plan_evaluation_reminders()
    assert rows("evaluation_overdue") == []

    with at(6):
        plan_evaluation_reminders()
        reminders_deliver_due()

    (overdue,) = rows("evaluation_overdue")
    assert overdue.recipient == placement.mentor.user and overdue.status == Reminder.Status.SENT
    assert mail.outbox[-1].subject == "Overdue: evaluation of 王小明"
    assert "was due on 4 Dec 2026" in mail.outbox[-1].body


def test_escalated_once_to_each_active_coordinator_after_five_days(placement):
    coordinator = HRFactory(language="zh-hans")
    HRFactory(is_active=False)
    with at(8):
        plan_evaluation_reminders()
    assert rows("evaluation_escalated") == []

    with at(9):
        plan_evaluation_reminders()
        plan_evaluation_reminders()
        reminders_deliver_due()
    with at(10):
        plan_evaluation_reminders()  # the catch-up day plans nothing new
        reminders_deliver_due()

    (escalated,) = rows("evaluation_escalated")
    assert escalated.recipient == coordinator and escalated.status == Reminder.Status.SENT
    (message,) = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert "陈志强" in message.subject and "小米之家 南山海岸城店" in message.subject
    assert "王小明" in message.body  # the student agreed to share with Xiaomi (factory default)


def test_the_escalation_leaves_out_the_name_of_a_student_who_did_not_share_with_xiaomi(placement):
    placement.application.shares_with_xiaomi = False
    placement.application.save()
    HRFactory()
    with at(9):
        plan_evaluation_reminders()
        reminders_deliver_due()

    (message,) = [m for m in mail.outbox if "long overdue" in m.subject]
    assert "王小明" not in message.body and "陈志强" in message.body


def test_the_final_evaluation_is_due_on_the_last_day_with_week_three_and_overdue_once(placement):
    for period in (1, 2):
        submitted(placement, period)
    with at(17):
        plan_evaluation_reminders()
    assert rows("evaluation_final_due") == []

    with at(18):
        plan_evaluation_reminders()
        reminders_deliver_due()
    assert [r.context["periods"] for r in rows("evaluation_due")] == [[3]]
    assert [r.context["periods"] for r in rows("evaluation_final_due")] == [[4]]
    assert "The final evaluation of 王小明 is due today" in [m.subject for m in mail.outbox]

    with at(20):
        plan_evaluation_reminders()
        reminders_deliver_due()
    (overdue,) = rows("evaluation_overdue")
    assert overdue.context["periods"] == [3, 4]
    assert "Week 3 · Final evaluation" in mail.outbox[-1].body


# --- Student: reflection due, evaluation released --------------------------------------------------


def test_the_reflection_is_due_on_the_weeks_last_working_day_not_before(placement):
    with at(3):
        plan_reflection_reminders()
    assert rows("reflection_due") == []

    with at(4):
        plan_reflection_reminders()
        plan_reflection_reminders()
        reminders_deliver_due()

    (reminder,) = rows("reflection_due")
    assert reminder.recipient == placement.student and reminder.context == {"week": 1}
    assert [m.subject for m in mail.outbox] == ["Write your reflection on week 1"]
    assert "/my/reflections/1/" in mail.outbox[0].body


def test_a_written_reflection_is_not_reminded_and_cancels_a_planned_reminder(placement, window):
    written_early = PlacementFactory(window=window)
    with at(4, hour=7):
        ReflectionFactory(placement=written_early, week=1)
        plan_reflection_reminders()
        ReflectionFactory(placement=placement, week=1)
    with at(4, hour=9):
        reminders_deliver_due()

    (reminder,) = rows("reflection_due")
    assert reminder.subject_id == placement.pk and reminder.status == Reminder.Status.CANCELLED
    assert mail.outbox == []


def test_each_released_evaluation_tells_its_student_once(placement, window):
    other = PlacementFactory(window=window)
    evaluations = [
        SubmittedEvaluationFactory(placement=placement),
        SubmittedEvaluationFactory(placement=other),
    ]

    with at(4, hour=15):
        assert plan_evaluation_released(evaluations=evaluations) == 2
        plan_evaluation_released(evaluations=Evaluation.objects.all())
        reminders_deliver_due()

    assert sorted(r.recipient_id for r in rows("evaluation_released")) == sorted(
        [placement.student_id, other.student_id]
    )
    assert len(mail.outbox) == 2
    assert "Your mentor's evaluation is ready: Week 1" in {m.subject for m in mail.outbox}
    assert Notification.objects.filter(user=placement.student, kind="evaluation_released").count() == 1


def test_nothing_released_plans_nothing():
    assert plan_evaluation_released(evaluations=[]) == 0
    assert not Reminder.objects.exists()


# --- In the recipient's language ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "day", "recipient", "zh", "en"),
    [
        (
            "evaluation_due",
            4,
            "mentor",
            "今天请完成王小明的评价（第 1 周）",
            "Week 1 evaluation of 王小明 is due today",
        ),
        ("evaluation_overdue", 6, "mentor", "逾期未交：王小明的评价", "Overdue: evaluation of 王小明"),
        (
            "evaluation_escalated",
            9,
            "hr",
            "评价严重逾期：陈志强，小米之家 南山海岸城店",
            "Evaluation long overdue: 陈志强",
        ),
        ("reflection_due", 4, "student", "请写第 1 周的周记", "Write your reflection on week 1"),
        (
            "evaluation_final_due",
            18,
            "mentor",
            "今天请完成王小明的结业评价",
            "The final evaluation of 王小明",
        ),
    ],
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_reminder_is_written_in_the_recipients_language(
    placement, kind, day, recipient, zh, en, language
):
    person = {"mentor": placement.mentor.user, "student": placement.student, "hr": HRFactory()}[recipient]
    person.language = language
    person.save()
    with at(day):
        plan_evaluation_reminders()
        plan_reflection_reminders()
        reminders_deliver_due()

    (reminder,) = rows(kind)
    notification = Notification.objects.get(reminder=reminder)
    (message,) = [m for m in mail.outbox if m.to == [person.email] and m.subject == notification.title]
    assert (zh if language == "zh-hans" else en) in message.subject
    html = message.alternatives[0][0]
    assert "{%" not in message.body and "{%" not in html
    assert set(notification.texts) == {"zh-hans", "en"} and notification.texts["en"]["body"]


@pytest.mark.parametrize(
    ("language", "subject"), [("zh-hans", "导师评价已可查看：第 1 周"), ("en", "evaluation is ready")]
)
def test_the_released_notice_is_written_in_the_students_language(placement, language, subject):
    placement.student.language = language
    placement.student.save()
    with at(4, hour=15):
        plan_evaluation_released(evaluations=[SubmittedEvaluationFactory(placement=placement)])
        reminders_deliver_due()

    assert subject in mail.outbox[0].subject


# --- The staff digest ----------------------------------------------------------------------------


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_the_staff_digest_lists_stores_with_their_overdue_evaluations(window, english):
    busy = StoreFactory(name_en="Xiaomi Store Futian COCO Park", name_zh="小米之家 福田COCO Park店")
    quiet = StoreFactory(name_en="Xiaomi Store Luohu", name_zh="小米之家 罗湖店")
    for _ in range(2):
        PlacementFactory(window=window, mentor=MentorFactory(store=busy))
    on_time = PlacementFactory(window=window, mentor=MentorFactory(store=quiet))
    submitted(on_time, 1)
    late = PlacementFactory(window=window, mentor=MentorFactory(store=quiet))

    with at(5):  # week 1 due yesterday: not overdue yet
        assert all(s["key"] != "evaluations.overdue_by_store" for s in digests.sections_for(Role.STAFF))
    with at(12):  # week 1 overdue; week 2 due yesterday, not overdue yet
        section = next(
            s for s in digests.sections_for(Role.STAFF) if s["key"] == "evaluations.overdue_by_store"
        )
        assert section["total"] == 2
        assert section["lines"] == [
            "Xiaomi Store Futian COCO Park: 2 evaluations overdue",
            "Xiaomi Store Luohu: 1 evaluation overdue",
        ]
    with at(14):  # week 2 overdue too
        section = next(
            s for s in digests.sections_for(Role.STAFF) if s["key"] == "evaluations.overdue_by_store"
        )
        assert section["lines"][0] == "Xiaomi Store Futian COCO Park: 4 evaluations overdue"
        assert section["lines"][1] == "Xiaomi Store Luohu: 3 evaluations overdue"
        with translation.override("zh-hans"):
            section = next(
                s for s in digests.sections_for(Role.STAFF) if s["key"] == "evaluations.overdue_by_store"
            )
            assert str(section["title"]) == "各门店逾期未交的评价"
        assert section["lines"] == ["小米之家 福田COCO Park店：4 份评价逾期", "小米之家 罗湖店：3 份评价逾期"]
    assert late.store == quiet
