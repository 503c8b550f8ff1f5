"""Reads of mentor evaluations for the mentor, the student, staff and Xiaomi."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from internships.models import Cohort, Placement
from sztu_xiaomi.models import pick_language

from ..models import Criterion, Evaluation, EvaluationChange, Period, ReleaseMode, Rubric, Score
from .assessment import assessment_of
from .schedule import OVERDUE_AFTER_DAYS, period_opens_on

__all__ = [
    "PeriodState",
    "cohort_evaluation_grid",
    "evaluation_form_data",
    "evaluation_read",
    "evaluations_of_mentor",
    "evaluations_released_to",
]

# Interns a mentor evaluates: published and not withdrawn.
EVALUATED = (Placement.Status.PLANNED, Placement.Status.ACTIVE, Placement.Status.COMPLETED)


class PeriodStatus(models.TextChoices):
    NOT_OPEN = "not_open", _("Not open yet")
    OPEN = "open", _("To do")
    DRAFT = "draft", _("Draft")
    OVERDUE = "overdue", _("Overdue")
    SUBMITTED = "submitted", _("Submitted")


@dataclass
class PeriodState:
    """Where one period's evaluation of one placement stands on a given day."""

    Status = PeriodStatus

    placement: Placement
    period: int
    opens_on: date
    evaluation: Evaluation | None
    state: str

    def get_state_display(self) -> str:
        return str(PeriodStatus(self.state).label)

    @property
    def label(self) -> str:
        return str(Period(self.period).label)

    @property
    def is_open(self) -> bool:
        return self.state != PeriodStatus.NOT_OPEN

    @property
    def overdue_from(self) -> date:
        return self.opens_on + timedelta(days=OVERDUE_AFTER_DAYS)


def period_state(
    placement: Placement, period: int, evaluation: Evaluation | None, today: date
) -> PeriodState:
    opens_on = period_opens_on(placement, period)
    if evaluation is not None and evaluation.is_submitted:
        state = PeriodStatus.SUBMITTED
    elif today < opens_on:
        state = PeriodStatus.NOT_OPEN
    elif today >= opens_on + timedelta(days=OVERDUE_AFTER_DAYS):
        state = PeriodStatus.OVERDUE
    elif evaluation is not None:
        state = PeriodStatus.DRAFT
    else:
        state = PeriodStatus.OPEN
    return PeriodState(placement, period, opens_on, evaluation, state)


def _states(placement: Placement, evaluations: list[Evaluation], today: date) -> list[PeriodState]:
    by_period = {e.period: e for e in evaluations}
    return [period_state(placement, p, by_period.get(p), today) for p in Period.values]


def evaluations_of_mentor(user, today: date) -> list[tuple[Placement, list[PeriodState]]]:
    """Each published intern of the mentor, the current placements first, with the state of weeks
    1–3 and the final evaluation. Three queries, however many interns."""
    placements = (
        Placement.objects.visible_to(user)
        .filter(status__in=EVALUATED)
        .select_related("student", "window", "cohort", "store")
        .prefetch_related(
            Prefetch(
                "evaluations",
                queryset=Evaluation.objects.only("id", "placement_id", "period", "status", "updated_at"),
            )
        )
        .order_by("-window__starts_on", "student__full_name", "pk")
    )
    return [(p, _states(p, list(p.evaluations.all()), today)) for p in placements]


@dataclass
class CriterionRow:
    criterion: Criterion
    field_name: str
    name: str
    levels: list[tuple[int, str]]
    score: int | None = None


@dataclass
class FormData:
    placement: Placement
    state: PeriodState
    evaluation: Evaluation | None
    criteria: list[CriterionRow] = field(default_factory=list)

    @property
    def scores(self) -> dict[int, int]:
        return {row.criterion.pk: row.score for row in self.criteria if row.score is not None}


def evaluation_form_data(placement: Placement, period: int, today: date) -> FormData:
    """What the mentor's form shows: the period's state, and each criterion with its five levels in
    the reader's language and the level saved so far. The rubric is the evaluation's own (frozen
    when it was opened), or the cohort's current one for an evaluation not opened yet."""
    evaluation = (
        Evaluation.objects.filter(placement=placement, period=period).select_related("rubric").first()
    )
    state = period_state(placement, period, evaluation, today)
    if not state.is_open:
        return FormData(placement, state, evaluation)
    if evaluation is not None:
        rubric = evaluation.rubric
    else:
        rubric = Rubric.objects.filter(cohort=placement.cohort_id).order_by("-version").first()
        if rubric is None:  # the cohort's first evaluation: its rubric is the default one, made once
            from ..services.rubrics import rubric_current

            rubric = rubric_current(cohort=placement.cohort)
    saved = dict(evaluation.scores.values_list("criterion_id", "score")) if evaluation else {}
    rows = [
        CriterionRow(c, f"criterion_{c.pk}", c.name, c.levels(), saved.get(c.pk))
        for c in rubric.criteria.order_by("position")
    ]
    return FormData(placement, state, evaluation, rows)


@dataclass
class ScoreRow:
    name: str
    score: int
    descriptor: str


def _score_rows(evaluation: Evaluation) -> list[ScoreRow]:
    """From prefetched scores (with their criteria), in the rubric's order."""
    scores = sorted(evaluation.scores.all(), key=lambda s: s.criterion.position)
    return [ScoreRow(s.criterion.name, s.score, s.criterion.descriptor(s.score)) for s in scores]


def _with_scores(queryset):
    return queryset.prefetch_related(
        Prefetch("scores", queryset=Score.objects.select_related("criterion").order_by("criterion__position"))
    )


def evaluations_released_to(student) -> list[tuple[Evaluation, list[ScoreRow]]]:
    """The student's evaluations they may read (submitted and released; never a draft), the latest
    placement first, each with its score per criterion. Three queries."""
    evaluations = _with_scores(
        Evaluation.objects.visible_to(student)
        .select_related("placement__cohort", "placement__store", "placement__mentor__user")
        .order_by("-placement__window__starts_on", "period")
    )
    return [(e, _score_rows(e)) for e in evaluations]


@dataclass
class ChangeRow:
    change: EvaluationChange
    before: list[tuple[str, int | None]]
    after: list[tuple[str, int | None]]
    differences: list[tuple[str, str, str]]  # (what, before, after) of what changed


def _change_row(change: EvaluationChange) -> ChangeRow:
    def scores(snapshot):
        return [(pick_language(s["name_zh"], s["name_en"]), s["score"]) for s in snapshot["scores"]]

    before, after = scores(change.before), scores(change.after)
    differences = [
        (name, str(old), str(new))
        for (name, old), (_n, new) in zip(before, after, strict=False)
        if old != new
    ]
    labels = {
        "comment": _("Comment"),
        "recommends_hiring": _("I recommend this intern for hiring"),
        "recommendation_reason": _("Reason for the recommendation"),
    }
    for key, label in labels.items():
        old, new = change.before.get(key, ""), change.after.get(key, "")
        if old != new:
            if key == "recommends_hiring":
                old, new = _recommendation_label(old), _recommendation_label(new)
            differences.append((str(label), old or "—", new or "—"))
    return ChangeRow(change, before, after, differences)


def _recommendation_label(value: str) -> str:
    return str(Evaluation.Recommendation(value).label) if value in Evaluation.Recommendation.values else value


@dataclass
class EvaluationView:
    evaluation: Evaluation
    scores: list[ScoreRow]
    changes: list[ChangeRow] | None  # None: this reader does not see the history
    # the hiring recommendation is for the programme and Xiaomi, not the student
    shows_recommendation: bool = False


def evaluation_read(evaluation_pk: int, user) -> EvaluationView | None:
    """One evaluation as `user` may read it (None outside their scope); staff and the mentor also
    see its change history."""
    evaluation = (
        _with_scores(Evaluation.objects.visible_to(user))
        .select_related(
            "placement__cohort", "placement__student", "placement__store", "placement__mentor__user"
        )
        .filter(pk=evaluation_pk)
        .first()
    )
    if evaluation is None:
        return None
    changes = None
    if user.has_role("staff", "admin", "mentor"):
        changes = [
            _change_row(c)
            for c in EvaluationChange.objects.filter(evaluation=evaluation)
            .select_related("changed_by")
            .order_by("-changed_at", "-pk")
        ]
    shows = evaluation.is_final and bool(evaluation.recommends_hiring) and not user.has_role("student")
    return EvaluationView(evaluation, _score_rows(evaluation), changes, shows)


@dataclass
class Grid:
    cohort: Cohort
    page: object  # the page of placements
    rows: list[tuple[Placement, list[PeriodState]]]
    can_release: bool
    waiting_release: int


def cohort_evaluation_grid(cohort: Cohort, user, *, page_number, today: date, per_page: int = 50) -> Grid:
    """The cohort's published placements (those `user` may see: Xiaomi's roles only students who
    consented) × the four periods, one page at a time. A fixed number of queries per page."""
    from django.core.paginator import Paginator

    placements = (
        Placement.objects.visible_to(user)
        .filter(cohort=cohort, status__in=EVALUATED)
        .select_related("student", "window", "store", "mentor__user")
        .order_by("store__name_zh", "student__full_name", "pk")
    )
    page = Paginator(placements, per_page).get_page(page_number)
    shown = list(page.object_list)
    for placement in shown:
        placement.cohort = cohort  # one cohort: no query per placement for its working days
    visible = (
        Evaluation.objects.visible_to(user)
        .filter(placement__in=[p.pk for p in shown])
        .only("id", "placement_id", "period", "status", "released_at")
    )
    by_placement: dict[int, list[Evaluation]] = {}
    for evaluation in visible:
        by_placement.setdefault(evaluation.placement_id, []).append(evaluation)
    rows = [(p, _states(p, by_placement.get(p.pk, []), today)) for p in shown]
    can_release = (
        user.has_role("staff", "admin") and assessment_of(cohort).release_mode == ReleaseMode.BY_STAFF
    )
    waiting = (
        Evaluation.objects.filter(
            placement__cohort=cohort, status=Evaluation.Status.SUBMITTED, released_at__isnull=True
        ).count()
        if can_release
        else 0
    )
    return Grid(cohort, page, rows, can_release, waiting)
