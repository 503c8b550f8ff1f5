"""The finished cohort's graduates recommended to Xiaomi, and Xiaomi's hiring pipeline under way.

Everything goes through the recommendations services, as the graduate (the hiring consent, the
answer to an offer), the programme office (two batches) and Xiaomi HR (each move, the interviews,
the views of a candidate's page and CV) would. Only timestamps are moved into the past afterwards
(a batch "sent 21 days ago", an interview "held 5 days ago"), as `demo.builder` does for the
applications: the services date everything now, and an interview must be in the future when it
is scheduled.

What the demo then shows, the same whatever the hour it is built at (every date is counted in
days from today, at fixed hours of the day):

- the priority batch, sent 21 days ago: one graduate hired (interview, offer, accepted), and the
  graduate sign-in at "offer made", to accept or decline in the browser;
- the standard batch, sent 8 days ago: one under review, one declined by Xiaomi, and one still
  "received" the day after its response date (7 days, the default): overdue, so the HR digest
  lists it and the escalation to Xiaomi HR goes out today, as it would on a real day;
- one passing graduate without the hiring consent, whom staff can ask for it;
- Xiaomi HR's views of the candidates' pages and CVs in the PIPL access log.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.models import User
from evaluations.models import ProgrammeResult
from internships.models import Cohort
from notifications.models import Reminder
from notifications.services import reminders_cancel
from recommendations.models import DataAccess, HiringConsent, Recommendation, RecommendationEvent
from recommendations.services import (
    Interview,
    Nomination,
    access_log,
    consent_give,
    recommendation_answer_offer,
    recommendation_move,
    recommendations_send,
)

from .data import INTERVIEW_PLACE, RECOMMENDATION_JUSTIFICATIONS

S = Recommendation.Status
P = Recommendation.Priority

HR_EMAIL = "hr@xiaomi-demo.cn"
# The graduate sign-in ("Student (graduate, certificate, Xiaomi offer)"), who has an offer to answer.
OFFER_TO_ANSWER = "202200001@qq.com"

# The two batches: (priority, days ago, the graduates' e-mails).
BATCHES = [
    (P.PRIORITY, 21, ["202200001@qq.com", "202200002@163.com"]),
    (P.STANDARD, 8, ["202200004@foxmail.com", "202200006@qq.com", "alumni05@stu.sztu.edu.cn"]),
]


@dataclass
class Move:
    email: str
    to_status: str
    days_ago: int
    hour: int
    note: str = ""
    # an interview: (days ago it is held, hour), at INTERVIEW_PLACE with the demo HR manager
    interview: tuple[int, int] | None = None


# In the order they happened. The overdue one (alumni05) never moves.
MOVES = [
    Move("202200002@163.com", S.REVIEWING, 20, 10),
    Move("202200001@qq.com", S.REVIEWING, 20, 11),
    Move("202200002@163.com", S.INTERVIEW, 19, 15, interview=(16, 14)),
    Move("202200001@qq.com", S.INTERVIEW, 18, 16, interview=(5, 14)),
    Move("202200002@163.com", S.OFFER, 15, 11, note="面试表现出色，录用为南山海岸城店销售顾问，月薪8000元。"),
    Move("202200002@163.com", S.HIRED, 14, 21),  # the graduate accepts on the platform
    Move("202200006@qq.com", S.REVIEWING, 7, 15),
    Move("202200004@foxmail.com", S.REVIEWING, 6, 10),
    Move(
        "202200006@qq.com",
        S.DECLINED_BY_XIAOMI,
        4,
        11,
        note="本期门店岗位已招满，简历已存入人才库，后续有合适岗位再联系。",
    ),
    Move(
        "202200001@qq.com", S.OFFER, 2, 17, note="面试通过，拟录用为福田COCO Park店销售顾问，请在平台上确认。"
    ),
]

# Xiaomi HR opened these candidates' data: (e-mail, what, days ago, hour, minute).
VIEWS = [
    ("202200002@163.com", DataAccess.What.CANDIDATE, 20, 9, 50),
    ("202200002@163.com", DataAccess.What.CV, 20, 9, 52),
    ("202200001@qq.com", DataAccess.What.CANDIDATE, 20, 10, 55),
    ("202200001@qq.com", DataAccess.What.CV, 20, 10, 58),
    ("202200001@qq.com", DataAccess.What.CANDIDATE, 18, 15, 40),
    ("202200006@qq.com", DataAccess.What.CANDIDATE, 7, 14, 45),
    ("202200004@foxmail.com", DataAccess.What.CANDIDATE, 6, 9, 30),
    ("202200004@foxmail.com", DataAccess.What.CV, 6, 9, 34),
    ("202200001@qq.com", DataAccess.What.CANDIDATE, 2, 16, 30),
]

CONSENT_DAYS_AGO = 30
HAPPENED_DAYS_AGO = gettext_noop("the demo data's recommendation changed days ago")


def _at(today, days_ago: int, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(hour, minute)))


def demo_recommendations(cohort: Cohort, staff: User, today) -> None:
    """Recommend the cohort's graduates and move them through Xiaomi's pipeline (once: a cohort
    that has recommendations already is left as it is)."""
    if Recommendation.objects.filter(cohort=cohort).exists():
        return
    hr = User.objects.get(email=HR_EMAIL)
    results = {
        result.placement.student.email: result
        for result in ProgrammeResult.objects.filter(placement__cohort=cohort).select_related(
            "placement__student", "placement__cohort"
        )
    }
    # Every passing graduate but one gave the separate consent a month ago.
    for email, result in results.items():
        if email in RECOMMENDATION_JUSTIFICATIONS:
            consent = consent_give(student=result.placement.student)
            HiringConsent.objects.filter(pk=consent.pk).update(given_at=_at(today, CONSENT_DAYS_AGO, 20))

    recommendations = {}
    for priority, days_ago, emails in BATCHES:
        sent = recommendations_send(
            by=staff,
            nominations=[
                Nomination(results[email], priority, RECOMMENDATION_JUSTIFICATIONS[email]) for email in emails
            ],
        )
        RecommendationEvent.objects.filter(recommendation__in=sent).update(at=_at(today, days_ago, 10))
        recommendations |= {r.student.email: r for r in sent}

    for move in MOVES:
        recommendation = recommendations[move.email]
        when = _at(today, move.days_ago, move.hour)
        if move.to_status == S.HIRED:
            moved = recommendation_answer_offer(
                student=recommendation.student,
                recommendation_id=recommendation.pk,
                version=recommendation.version,
                accept=True,
            )
        else:
            moved = recommendation_move(
                by=hr,
                recommendation_id=recommendation.pk,
                to_status=move.to_status,
                version=recommendation.version,
                note=move.note,
                # scheduled for tomorrow (the service wants the future), then moved to its day
                interview=Interview(timezone.now() + timedelta(days=1), INTERVIEW_PLACE, hr)
                if move.interview
                else None,
            )
        recommendations[move.email] = moved
        event = moved.events.order_by("-id").first()
        if move.interview:
            interview_at = _at(today, *move.interview)
            event.details["at"] = interview_at.isoformat()
            RecommendationEvent.objects.filter(pk=event.pk).update(at=when, details=event.details)
            Recommendation.objects.filter(pk=moved.pk).update(interview_at=interview_at)
        else:
            RecommendationEvent.objects.filter(pk=event.pk).update(at=when)

    for recommendation in recommendations.values():
        _backdate(recommendation, today)
    for email, what, days_ago, hour, minute in VIEWS:
        access = access_log(viewer=hr, recommendation=recommendations[email], what=what)
        DataAccess.objects.filter(pk=access.pk).update(at=_at(today, days_ago, hour, minute))
    _cancel_notices(list(recommendations.values()))


def _backdate(recommendation: Recommendation, today) -> None:
    """Date the recommendation by its (backdated) history: sent with its first event, answered
    with the first move, last changed with the latest; the response date keeps its distance."""
    events = list(recommendation.events.order_by("at", "id"))
    sent_at, last = events[0].at, events[-1].at
    first_response = next((e.at for e in events if e.from_status), None)
    Recommendation.objects.filter(pk=recommendation.pk).update(
        sent_at=sent_at,
        respond_by=recommendation.respond_by - (today - timezone.localdate(sent_at)),
        status_changed_at=last,
        first_response_at=first_response,
        created_at=sent_at,
        updated_at=last,
    )


def _cancel_notices(recommendations: list[Recommendation]) -> None:
    """The graduates (and Xiaomi) heard of these changes the days they happened: none of the
    notices about them is sent today. Whatever kinds the pipeline plans, about a change or about
    the recommendation, are cancelled."""
    events = {e.pk: e for e in RecommendationEvent.objects.filter(recommendation__in=recommendations)}
    subjects = [
        (RecommendationEvent, events),
        (Recommendation, {r.pk: r for r in recommendations}),
    ]
    for model, objects in subjects:
        pending = (
            Reminder.objects.filter(
                subject_type=ContentType.objects.get_for_model(model),
                subject_id__in=list(objects),
                status=Reminder.Status.PENDING,
            )
            .order_by()
            .values("kind", "subject_id")
            .distinct()
        )
        for row in pending:
            reminders_cancel(kind=row["kind"], about=objects[row["subject_id"]], reason=HAPPENED_DAYS_AGO)
