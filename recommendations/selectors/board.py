"""Reads of Xiaomi HR's side: the board (a column per status), the table with its filters, the
export rows, and the candidate page. Every read starts from `Recommendation.objects.visible_to`,
so HR never sees a student who was not recommended or who withdrew their consent."""

import io
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Avg, Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from accounts.models import Role, User
from courses.selectors import progress_for_student
from evaluations.models import Band, Evaluation, Period, Score
from sztu_xiaomi.models import pick_language
from sztu_xiaomi.spreadsheets import spreadsheet_row

from ..models import (
    FINAL_STATUSES,
    TRANSITIONS,
    Recommendation,
    RecommendationEvent,
    RecommendationStatus,
)
from ..models.recommendations import OPEN_STATUSES

__all__ = [
    "BOARD_CARDS_PER_COLUMN",
    "TABLE_PER_PAGE",
    "TABLE_SORTS",
    "BoardColumn",
    "CandidatePage",
    "board_columns",
    "board_workbook",
    "candidate_page",
    "interviewers",
    "moves_for",
    "recommendation_for",
    "recommendations_table",
]

S = RecommendationStatus
BOARD_CARDS_PER_COLUMN = 20
TABLE_PER_PAGE = 25

# The table's orderings, each served by an index of recommendations (see the model's Meta).
TABLE_SORTS = {
    "priority": ("priority", "sent_at", "id"),
    "oldest": ("sent_at", "id"),
    "newest": ("-sent_at", "-id"),
    "respond_by": ("respond_by", "id"),
}


def _cards(user: User) -> QuerySet[Recommendation]:
    """What a card or a table row shows, in one query (student, profile, cohort and result)."""
    return (
        Recommendation.objects.visible_to(user)
        .select_related("student", "student__student_profile", "cohort", "result")
        .only(
            "id",
            "status",
            "priority",
            "sent_at",
            "respond_by",
            "status_changed_at",
            "version",
            "interview_at",
            "interview_place",
            "student__id",
            "student__full_name",
            "student__english_name",
            "student__email",
            "student__student_profile__student_number",
            "student__student_profile__major",
            "student__student_profile__graduation_year",
            "cohort__id",
            "cohort__name_zh",
            "cohort__name_en",
            "result__id",
            "result__band",
            "result__total",
        )
    )


def _annotate_card(rec: Recommendation, today: date) -> Recommendation:
    rec.days_waiting = (today - timezone.localdate(rec.status_changed_at)).days
    rec.is_overdue = rec.status == S.RECEIVED and rec.respond_by < today
    return rec


@dataclass
class BoardColumn:
    status: str
    label: str
    count: int
    cards: list[Recommendation] = field(default_factory=list)
    is_final: bool = False

    @property
    def more(self) -> int:
        return self.count - len(self.cards)


def board_columns(user: User, today: date) -> tuple[list[BoardColumn], list[BoardColumn]]:
    """The open columns (each with its first cards, priority first then the oldest) and the final
    ones (a count only). One query for the counts and one per open status, whatever the size."""
    counts = dict(
        Recommendation.objects.visible_to(user)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    open_columns = []
    for status in OPEN_STATUSES:
        count = counts.get(status, 0)
        cards = []
        if count:
            cards = [
                _annotate_card(r, today)
                for r in _cards(user).filter(status=status).priority_first()[:BOARD_CARDS_PER_COLUMN]
            ]
        open_columns.append(BoardColumn(status, str(S(status).label), count, cards))
    final_columns = [
        BoardColumn(status, str(S(status).label), counts.get(status, 0), is_final=True)
        for status in FINAL_STATUSES
    ]
    return open_columns, final_columns


def recommendations_table(
    user: User,
    *,
    today: date,
    cohort=None,
    status: str = "",
    priority: str = "",
    overdue: bool = False,
    q: str = "",
    sort: str = "priority",
) -> QuerySet[Recommendation]:
    """The table's rows (and the export's), filtered and ordered.

    The name or student number is matched as an exact prefix (a student number when it starts
    with a digit, a name otherwise), never `icontains`, so an index can serve it."""
    rows = _cards(user)
    if cohort:
        rows = rows.filter(cohort=cohort)
    if status:
        rows = rows.filter(status=status)
    if priority:
        rows = rows.filter(priority=priority)
    if overdue:
        rows = rows.filter(status=S.RECEIVED, respond_by__lt=today)
    q = (q or "").strip()
    if q:
        if q[0].isdigit():
            rows = rows.filter(student__student_profile__student_number__startswith=q)
        else:
            rows = rows.filter(student__full_name__startswith=q)
    return rows.order_by(*TABLE_SORTS.get(sort, TABLE_SORTS["priority"]))


def recommendation_for(user: User, pk: int) -> Recommendation | None:
    """One recommendation the user may see (None otherwise: not recommended, consent withdrawn)."""
    return (
        Recommendation.objects.visible_to(user)
        .select_related(
            "student",
            "student__student_profile",
            "cohort",
            "result__placement__application",
            "result__certificate",
            "interviewer",
        )
        .filter(pk=pk)
        .first()
    )


def moves_for(user: User, rec: Recommendation) -> list[str]:
    """The statuses `user` may move `rec` to from where it stands: the machine's next statuses,
    of those the user's side makes (HR their pipeline, the university a withdrawal)."""
    from ..services import HR_MOVES

    if user.has_role(Role.HR):
        mine = HR_MOVES
    elif user.has_role(Role.STAFF, Role.ADMIN):
        mine = (S.WITHDRAWN,)
    else:
        mine = ()
    return [s for s in TRANSITIONS[rec.status] if s in mine]


@dataclass
class CriterionMean:
    name: str
    mean: float
    count: int


@dataclass
class CandidatePage:
    rec: Recommendation
    profile: object  # the student's StudentProfile, or None
    result: object  # the ProgrammeResult
    courses: list  # courses.selectors.CourseProgress of the student
    final: Evaluation | None  # the submitted final evaluation
    evaluations: list[Evaluation]  # the submitted ones, by period
    criteria: list[CriterionMean]
    certificate: object  # a Certificate that stands, or None
    has_cv: bool
    events: list[RecommendationEvent]
    moves: list[str]
    days_waiting: int
    is_overdue: bool


def candidate_page(user: User, pk: int, today: date) -> CandidatePage | None:
    """What the candidate page shows, as Xiaomi may see it (None outside the user's scope)."""
    rec = recommendation_for(user, pk)
    if rec is None:
        return None
    _annotate_card(rec, today)
    result = rec.result
    placement = result.placement
    # Submitted evaluations only (staff could otherwise see a mentor's draft).
    evaluations = list(
        Evaluation.objects.visible_to(user)
        .submitted()
        .filter(placement=placement)
        .annotate(mean=Avg("scores__score"))
        .order_by("period")
    )
    final = next((e for e in evaluations if e.period == Period.FINAL), None)
    criteria = [
        CriterionMean(
            pick_language(row["criterion__name_zh"], row["criterion__name_en"]), float(row["mean"]), row["n"]
        )
        for row in Score.objects.filter(evaluation__in=[e.pk for e in evaluations])
        .values("criterion_id", "criterion__name_zh", "criterion__name_en", "criterion__position")
        .annotate(mean=Avg("score"), n=Count("id"))
        .order_by("criterion__position", "criterion_id")
    ]
    certificate = getattr(result, "certificate", None)
    if certificate is not None and certificate.is_revoked:
        certificate = None
    events = list(
        RecommendationEvent.objects.filter(recommendation=rec).select_related("actor").order_by("-at", "-id")
    )
    return CandidatePage(
        rec=rec,
        profile=getattr(rec.student, "student_profile", None),
        result=result,
        courses=progress_for_student(rec.student).courses,
        final=final,
        evaluations=evaluations,
        criteria=criteria,
        certificate=certificate,
        has_cv=bool(placement.application.cv),
        events=events,
        moves=moves_for(user, rec),
        days_waiting=rec.days_waiting,
        is_overdue=rec.is_overdue,
    )


def interviewers() -> QuerySet[User]:
    """Who may interview: active Xiaomi HR users and mentors."""
    return User.objects.filter(is_active=True, role__in=[Role.HR, Role.MENTOR]).order_by("full_name", "id")


def board_workbook(rows, *, today: date) -> bytes:
    """The table's rows as an .xlsx file, in the reader's language; what people typed is text."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("recommendations")
    header = [
        _("Student number"),
        _("Full name"),
        _("E-mail"),
        _("Major"),
        _("Graduation year"),
        _("Cohort"),
        _("Result"),
        _("Priority level"),
        _("Status"),
        _("Sent on"),
        _("Respond by"),
        _("Overdue"),
        _("Days in this status"),
    ]
    sheet.append(spreadsheet_row(sheet, header))
    # The labels once, not a lazy translation per cell (thousands of rows).
    statuses = {value: str(label) for value, label in S.choices}
    priorities = {value: str(label) for value, label in Recommendation.Priority.choices}
    bands = {value: str(label) for value, label in Band.choices}
    yes, no = _("yes"), _("no")
    for rec in rows:
        profile = getattr(rec.student, "student_profile", None)
        overdue = rec.status == S.RECEIVED and rec.respond_by < today
        sheet.append(
            spreadsheet_row(
                sheet,
                [
                    profile.student_number if profile else "",
                    rec.student.full_name,
                    rec.student.email,
                    profile.major if profile else "",
                    profile.graduation_year if profile else None,
                    rec.cohort.name,
                    bands.get(rec.result.band, rec.result.band),
                    priorities[rec.priority],
                    statuses[rec.status],
                    timezone.localdate(rec.sent_at),
                    rec.respond_by,
                    yes if overdue else no,
                    (today - timezone.localdate(rec.status_changed_at)).days,
                ],
            )
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
