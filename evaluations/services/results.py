"""Writes of programme results: compute, recompute, override, confirm the cohort's results.

How a result is computed (each component 0–100, two decimals):

- **Courses**: the best quiz score of each course in the cohort's plan, averaged over the plan
  (a course never attempted counts 0). A course of the plan that is not complete makes the result
  "not passed" whatever the total: the programme is "5+3", all five are required (staff may
  override, e.g. for course credit recognised from elsewhere). No plan: the component is missing.
- **Mentor evaluations**: each submitted evaluation's mean criterion score (1–5), mapped to 0–100
  by (mean − 1) / 4 × 100. The final evaluation counts as much as the weekly ones together:
  ½ × final + ½ × mean of the submitted weekly ones (the final alone when no weekly one was
  submitted). Missing until the final evaluation is submitted.
- **Attendance**: present 1, late ½, absent 0, over the placement's working days that have a
  mark (a day the mentor never marked is neither held against the student nor for them).
  Missing while no day has a mark.
- **Total**: the components weighted by the cohort's weights (which sum to 100). Band by the
  cohort's thresholds: distinction ≥ `distinction_from` > merit ≥ `merit_from` > pass ≥
  `pass_from` > not passed.

The result is PENDING while the placement has not finished (before the day after its window,
unless it is marked completed) or a component is missing. Nothing changes once staff confirm the
cohort's results; an override by staff (with a reason, logged) always takes precedence.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from courses.selectors import progress_for_students
from internships.models import Attendance, Cohort, CohortCourse, Placement

from ..models import FINAL, AssessmentSettings, Band, Evaluation, ProgrammeResult, ResultOverride, Score
from ..selectors.assessment import assessment_of

__all__ = [
    "ASSESSED_STATUSES",
    "PASSING_BANDS",
    "ResultInputs",
    "assessment_settings_save",
    "band_for",
    "result_compute",
    "result_override",
    "result_refresh",
    "results_confirm",
    "results_refresh",
    "results_refresh_finished",
]

# Placements that get a result: published and not withdrawn.
ASSESSED_STATUSES = (Placement.Status.PLANNED, Placement.Status.ACTIVE, Placement.Status.COMPLETED)
PASSING_BANDS = (Band.DISTINCTION, Band.MERIT, Band.PASS)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class ResultInputs:
    """What a placement's result is computed from (loaded set-based for a whole cohort)."""

    course_scores: list[int | None]  # best score per course of the plan, None: never attempted
    courses_complete: bool
    weekly_means: list[Decimal]  # the mean criterion score of each submitted weekly evaluation
    final_mean: Decimal | None  # … of the submitted final evaluation
    attendance_marks: dict[str, int]  # mark → number of working days
    finished: bool


def band_for(total: Decimal, assessment: AssessmentSettings) -> str:
    if total >= assessment.distinction_from:
        return Band.DISTINCTION
    if total >= assessment.merit_from:
        return Band.MERIT
    if total >= assessment.pass_from:
        return Band.PASS
    return Band.NOT_PASSED


def _scale(mean: Decimal) -> Decimal:
    """A mean level on the 1–5 scale as 0–100 points."""
    return (Decimal(mean) - 1) / 4 * HUNDRED


def result_compute(inputs: ResultInputs, assessment: AssessmentSettings) -> dict:
    """The components, total and computed band from the inputs (no database)."""
    course = None
    if inputs.course_scores:
        course = _round(Decimal(sum(s or 0 for s in inputs.course_scores)) / len(inputs.course_scores))
    evaluation = None
    if inputs.final_mean is not None:
        final = _scale(inputs.final_mean)
        if inputs.weekly_means:
            weekly = sum(_scale(m) for m in inputs.weekly_means) / len(inputs.weekly_means)
            evaluation = _round((final + weekly) / 2)
        else:
            evaluation = _round(final)
    attendance = None
    marked = sum(inputs.attendance_marks.values())
    if marked:
        m = inputs.attendance_marks
        points = Decimal(m.get(Attendance.Mark.PRESENT, 0)) + Decimal(m.get(Attendance.Mark.LATE, 0)) / 2
        attendance = _round(points / marked * HUNDRED)
    total, band = None, Band.PENDING
    if inputs.finished and None not in (course, evaluation, attendance):
        total = _round(
            (
                course * assessment.course_weight
                + evaluation * assessment.evaluation_weight
                + attendance * assessment.attendance_weight
            )
            / HUNDRED
        )
        band = band_for(total, assessment) if inputs.courses_complete else Band.NOT_PASSED
    return {
        "course_score": course,
        "evaluation_score": evaluation,
        "attendance_rate": attendance,
        "total": total,
        "computed_band": band,
    }


def _completed_on(placement: Placement) -> date:
    days = placement.working_days()
    return days[-1] if days else placement.window.ends_on


def _inputs_for(placements: list[Placement], cohort: Cohort, today: date) -> dict[int, ResultInputs]:
    """The inputs of many placements of one cohort in a fixed number of queries."""
    ids = [p.pk for p in placements]
    plan = list(CohortCourse.objects.filter(cohort=cohort).values_list("course_id", flat=True))
    progress = progress_for_students([p.student_id for p in placements]) if plan else {}
    means = defaultdict(list)
    finals = {}
    rows = (
        Score.objects.filter(evaluation__placement_id__in=ids, evaluation__status=Evaluation.Status.SUBMITTED)
        .values("evaluation__placement_id", "evaluation__period")
        .annotate(mean=Avg("score"))
    )
    for row in rows:
        mean = Decimal(str(row["mean"]))
        if row["evaluation__period"] == FINAL:
            finals[row["evaluation__placement_id"]] = mean
        else:
            means[row["evaluation__placement_id"]].append(mean)
    marks = defaultdict(dict)
    attendance = (
        Attendance.objects.filter(
            placement_id__in=ids,
            day__gte=F("placement__window__starts_on"),
            day__lte=F("placement__window__ends_on"),
        )
        .exclude(mark="")
        .values("placement_id", "mark")
        .annotate(n=Count("id"))
    )
    for row in attendance:
        marks[row["placement_id"]][row["mark"]] = row["n"]
    inputs = {}
    for p in placements:
        by_course = {c.course.pk: c for c in progress[p.student_id].courses} if plan else {}
        courses = [by_course.get(course_id) for course_id in plan]
        inputs[p.pk] = ResultInputs(
            course_scores=[c.best_score if c else None for c in courses],
            courses_complete=all(c is not None and c.is_complete for c in courses),
            weekly_means=means.get(p.pk, []),
            final_mean=finals.get(p.pk),
            attendance_marks=marks.get(p.pk, {}),
            finished=p.status == Placement.Status.COMPLETED or today > p.window.ends_on,
        )
    return inputs


def _refresh(placements: list[Placement], cohort: Cohort) -> int:
    """Compute and upsert the results of these placements of `cohort` (not confirmed)."""
    if not placements:
        return 0
    assessment = assessment_of(cohort)
    now, today = timezone.now(), timezone.localdate()
    inputs = _inputs_for(placements, cohort, today)
    existing = {r.placement_id: r for r in ProgrammeResult.objects.filter(placement__in=placements)}
    fields = ["course_score", "evaluation_score", "attendance_rate", "total", "computed_band"]
    to_create, to_update = [], []
    for placement in placements:
        values = result_compute(inputs[placement.pk], assessment)
        result = existing.get(placement.pk) or ProgrammeResult(placement=placement)
        for name in fields:
            setattr(result, name, values[name])
        result.band = result.override_band or result.computed_band
        result.computed_at = now
        result.completed_on = _completed_on(placement)
        (to_update if result.pk else to_create).append(result)
    ProgrammeResult.objects.bulk_create(to_create)
    ProgrammeResult.objects.bulk_update(
        to_update, [*fields, "band", "computed_at", "completed_on", "updated_at"]
    )
    return len(placements)


def _assessed(placements):
    return placements.filter(status__in=ASSESSED_STATUSES).select_related("window", "cohort")


def _is_confirmed(cohort: Cohort) -> bool:
    return AssessmentSettings.objects.filter(cohort=cohort, results_confirmed_at__isnull=False).exists()


@transaction.atomic
def result_refresh(*, placement: Placement) -> None:
    """Recompute the placement's programme result after one of its inputs changed (an evaluation
    submitted or changed, attendance recorded), unless the cohort's results are confirmed.
    Idempotent: the same inputs give the same row."""
    if placement.status not in ASSESSED_STATUSES or _is_confirmed(placement.cohort):
        return
    placement = _assessed(Placement.objects.filter(pk=placement.pk)).first()
    if placement is not None:
        _refresh([placement], placement.cohort)


@transaction.atomic
def results_refresh(*, cohort: Cohort) -> int:
    """Recompute the results of every placed student of the cohort (a fixed number of queries
    whatever their number); nothing once the cohort's results are confirmed. Returns how many."""
    if _is_confirmed(cohort):
        return 0
    return _refresh(list(_assessed(Placement.objects.filter(cohort=cohort))), cohort)


def results_refresh_finished() -> int:
    """The daily planner's part: attendance is kept in `internships`, which cannot call up into
    this app, so every unconfirmed cohort with a placement that has ended (or ends today) is
    recomputed once a day. Returns how many results were refreshed (it plans no reminder)."""
    today = timezone.localdate()
    cohorts = (
        Cohort.objects.filter(
            placements__status__in=ASSESSED_STATUSES, placements__window__ends_on__lte=today
        )
        .exclude(assessment__results_confirmed_at__isnull=False)
        .distinct()
    )
    return sum(results_refresh(cohort=cohort) for cohort in cohorts)


@transaction.atomic
def result_override(*, result: ProgrammeResult, band: str, reason: str, by: User) -> ProgrammeResult:
    """Set the result's band by hand, or with `band=""` go back to the computed band; either way
    the change is kept with its reason. A certificate already issued is re-issued with the new
    band; a band that is not a pass needs the certificate revoked first."""
    from .certificates import certificate_reissue

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for this change: it is kept with the result.")})
    if band and band not in (*PASSING_BANDS, Band.NOT_PASSED):
        raise ValidationError({"band": _("Choose distinction, merit, pass or not passed.")})
    result = ProgrammeResult.objects.select_for_update().get(pk=result.pk)
    if band == result.override_band:
        raise ValidationError({"band": _("The result already has this band.")})
    new_band = band or result.computed_band
    certificate = getattr(result, "certificate", None)
    live_certificate = certificate is not None and not certificate.is_revoked
    if live_certificate and new_band not in PASSING_BANDS:
        raise ValidationError(
            {"band": _("This student has a certificate: revoke it before changing the result to this band.")}
        )
    ResultOverride.objects.create(
        result=result, by=by, from_band=result.band, to_band=new_band, reason=reason
    )
    result.override_band = band
    result.override_reason = reason if band else ""
    result.band = new_band
    result.save(update_fields=["override_band", "override_reason", "band", "updated_at"])
    if live_certificate and certificate.band != new_band:
        certificate_reissue(certificate=certificate, by=by)
    return result


@transaction.atomic
def results_confirm(*, cohort: Cohort, by: User) -> AssessmentSettings:
    """Recompute once more, then freeze the cohort's results. Refused, naming the students, while
    a result is still pending (and not overridden)."""
    assessment = assessment_of(cohort)
    if assessment.pk:
        assessment = AssessmentSettings.objects.select_for_update().get(pk=assessment.pk)
    if assessment.results_confirmed:
        raise ValidationError(_("The results of this cohort are already confirmed."))
    results_refresh(cohort=cohort)
    placements = _assessed(Placement.objects.filter(cohort=cohort))
    pending = list(
        placements.filter(Q(result__isnull=True) | Q(result__band=Band.PENDING))
        .order_by("student__full_name")
        .values_list("student__full_name", flat=True)
    )
    if pending:
        raise ValidationError(
            _("Results are not complete yet for: %(names)s. Wait for their inputs, or override them.")
            % {"names": "、".join(pending)}
        )
    if not placements.exists():
        raise ValidationError(_("This cohort has no placed students to confirm results for."))
    assessment.results_confirmed_at = timezone.now()
    assessment.results_confirmed_by = by
    assessment.save()
    return assessment


@transaction.atomic
def assessment_settings_save(*, cohort: Cohort, by: User, **values) -> AssessmentSettings:
    """Save the cohort's assessment settings (creating the row the first time). Weights must sum
    to 100 and the thresholds be ordered; once results are confirmed only the release mode may
    change. Unconfirmed results are recomputed with the new weights."""
    assessment = assessment_of(cohort)
    if assessment.pk:
        assessment = AssessmentSettings.objects.select_for_update().get(pk=assessment.pk)
    frozen = assessment.results_confirmed
    errors = {}
    for name, value in values.items():
        if name != "release_mode" and frozen and getattr(assessment, name) != value:
            errors[name] = _("The results are confirmed: weights and thresholds can no longer change.")
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(assessment, name, value)
    weights = assessment.course_weight + assessment.evaluation_weight + assessment.attendance_weight
    if weights != 100:
        errors["attendance_weight"] = _(
            "The three weights must add up to 100; now they add up to %(sum)s."
        ) % {"sum": weights}
    if not assessment.distinction_from > assessment.merit_from > assessment.pass_from:
        errors["merit_from"] = _(
            "The thresholds must be in order: distinction above merit, merit above pass."
        )
    if assessment.distinction_from > 100:
        errors["distinction_from"] = _("A threshold is at most 100 points.")
    if errors:
        raise ValidationError(errors)
    assessment.save()
    if not frozen:
        results_refresh(cohort=cohort)
    return assessment
