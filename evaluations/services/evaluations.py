"""Writes of mentor evaluations: draft, autosave, submit, change with history, release."""

from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from internships.models import Cohort, Placement

from ..models import (
    COMMENT_MAX_LENGTH,
    SCORE_MAX,
    SCORE_MIN,
    Evaluation,
    EvaluationChange,
    HiringRecommendation,
    Period,
    ReleaseMode,
    Score,
)
from ..reminders import evaluations as reminders
from ..selectors.assessment import assessment_of
from ..selectors.schedule import period_opens_on
from . import results
from .rubrics import rubric_current

__all__ = [
    "EvaluationConflict",
    "criterion_field",
    "evaluation_autosave",
    "evaluation_change",
    "evaluation_open",
    "evaluation_submit",
    "evaluations_release",
]

UNPUBLISHED = (Placement.Status.PROPOSED, Placement.Status.WITHDRAWN)


class EvaluationConflict(Exception):
    """The evaluation moved on since this request's copy was read (an older tab, a second submit):
    nothing was changed. The message says what happened and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def criterion_field(criterion_id: int) -> str:
    """The form field (and error key) of one criterion's score."""
    return f"criterion_{criterion_id}"


def evaluation_open(*, placement: Placement, period: int, by) -> Evaluation:
    """The placement's evaluation for `period`, created as a draft on the cohort's current rubric the
    first time (from its opening day on). Two first opens at once create one evaluation."""
    if period not in Period.values:
        raise ValidationError({"period": _("There is no such evaluation period.")})
    if placement.status in UNPUBLISHED:
        raise ValidationError(_("This placement is not published, so it cannot be evaluated."))
    existing = Evaluation.objects.filter(placement=placement, period=period).first()
    if existing is not None:
        return existing
    opens_on = period_opens_on(placement, period)
    if timezone.localdate() < opens_on:
        raise ValidationError(
            {
                "period": _("This evaluation opens on %(date)s, the last day of the period.")
                % {"date": formats.date_format(opens_on, "DATE_FORMAT")}
            }
        )
    rubric = rubric_current(cohort=placement.cohort)
    try:
        with transaction.atomic():
            return Evaluation.objects.create(placement=placement, period=period, rubric=rubric, author=by)
    except IntegrityError:  # opened at the same moment in another tab: use that one
        return Evaluation.objects.get(placement=placement, period=period)


def evaluation_autosave(
    *,
    evaluation: Evaluation,
    scores: Mapping[int, int] | None = None,
    comment: str | None = None,
    recommends_hiring: str | None = None,
    recommendation_reason: str | None = None,
    revision: int,
    by,
) -> Evaluation:
    """Save what a draft's form holds so far (any part of it; None leaves a field as it is) and
    bump its revision. A copy older than the saved one (`revision`) changes nothing."""
    with transaction.atomic():
        locked = _locked(evaluation)
        if locked.is_submitted:
            raise EvaluationConflict(
                _("This evaluation is already submitted: a change needs a reason. Reload the page.")
            )
        _check_revision(locked, revision)
        current = _current_scores(locked)
        data = _merge(locked, current, scores, comment, recommends_hiring, recommendation_reason)
        _validate(locked, data, complete=False)
        _write(locked, current, data, by=by)
        locked.save()
    _refresh_in_place(evaluation, locked)
    return evaluation


def evaluation_submit(
    *,
    evaluation: Evaluation,
    by,
    scores: Mapping[int, int] | None = None,
    comment: str | None = None,
    recommends_hiring: str | None = None,
    recommendation_reason: str | None = None,
    revision: int | None = None,
) -> Evaluation:
    """Save the draft and submit it: every criterion scored, the final one with the hiring
    recommendation and its reason. Released at once when the cohort releases on submission.
    A second submit (another tab) changes nothing and says the evaluation is already submitted."""
    with transaction.atomic():
        locked = _locked(evaluation)
        if locked.is_submitted:
            raise EvaluationConflict(
                _("This evaluation was already submitted on %(when)s.")
                % {"when": formats.date_format(timezone.localtime(locked.submitted_at), "DATETIME_FORMAT")}
            )
        if revision is not None:
            _check_revision(locked, revision)
        current = _current_scores(locked)
        data = _merge(locked, current, scores, comment, recommends_hiring, recommendation_reason)
        _validate(locked, data, complete=True)
        _write(locked, current, data, by=by)
        now = timezone.now()
        locked.status = Evaluation.Status.SUBMITTED
        locked.submitted_at = now
        released = assessment_of(locked.placement.cohort).release_mode == ReleaseMode.ON_SUBMIT
        if released:
            locked.released_at = now
        locked.save()
        if released:
            reminders.plan_evaluation_released(evaluations=[locked])
        results.result_refresh(placement=locked.placement)
    _refresh_in_place(evaluation, locked)
    return evaluation


def evaluation_change(
    *,
    evaluation: Evaluation,
    by,
    reason: str,
    scores: Mapping[int, int] | None = None,
    comment: str | None = None,
    recommends_hiring: str | None = None,
    recommendation_reason: str | None = None,
) -> EvaluationChange:
    """Change a submitted evaluation, for a reason: the evaluation before and after, who and when
    are kept. A change that changes nothing is refused."""
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _locked(evaluation)
        if not locked.is_submitted:
            raise ValidationError(_("Only a submitted evaluation is changed with a reason; save the draft."))
        if not reason:
            raise ValidationError({"reason": _("Say why you change a submitted evaluation.")})
        if len(reason) > COMMENT_MAX_LENGTH:
            raise ValidationError({"reason": _too_long()})
        current = _current_scores(locked)
        data = _merge(locked, current, scores, comment, recommends_hiring, recommendation_reason)
        _validate(locked, data, complete=True)
        criteria = list(locked.rubric.criteria.all())
        before = _snapshot(criteria, current, _text_fields(locked))
        after = _snapshot(criteria, data["scores"], data)
        if before == after:
            raise ValidationError(
                _("Nothing was changed: change a level, the comment or the recommendation.")
            )
        _write(locked, current, data, by=None)
        locked.save()
        change = EvaluationChange.objects.create(
            evaluation=locked, changed_by=by, reason=reason, before=before, after=after
        )
        results.result_refresh(placement=locked.placement)
    _refresh_in_place(evaluation, locked)
    return change


@transaction.atomic
def evaluations_release(*, cohort: Cohort, by) -> int:
    """Release every submitted evaluation of the cohort that students cannot read yet (one UPDATE)
    and tell the students. Returns how many were released."""
    waiting = list(
        Evaluation.objects.select_for_update()
        .filter(placement__cohort=cohort, status=Evaluation.Status.SUBMITTED, released_at__isnull=True)
        .order_by("pk")
    )
    if not waiting:
        return 0
    now = timezone.now()
    Evaluation.objects.filter(pk__in=[e.pk for e in waiting]).update(released_at=now, updated_at=now)
    for evaluation in waiting:
        evaluation.released_at = now
    reminders.plan_evaluation_released(evaluations=waiting)
    return len(waiting)


# --- helpers ---------------------------------------------------------------------------------------


def _locked(evaluation: Evaluation) -> Evaluation:
    return (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("placement__cohort", "rubric")
        .get(pk=evaluation.pk)
    )


def _check_revision(locked: Evaluation, revision: int) -> None:
    if revision != locked.revision:
        raise EvaluationConflict(
            _(
                "This evaluation was saved from another tab or phone since this page was opened. "
                "Reload the page to see the latest version; nothing was saved from here."
            )
        )


def _current_scores(evaluation: Evaluation) -> dict[int, int]:
    return dict(evaluation.scores.values_list("criterion_id", "score"))


def _text_fields(evaluation: Evaluation) -> dict:
    return {
        "comment": evaluation.comment,
        "recommends_hiring": evaluation.recommends_hiring,
        "recommendation_reason": evaluation.recommendation_reason,
    }


def _merge(evaluation, current, scores, comment, recommends_hiring, recommendation_reason) -> dict:
    """The evaluation as it would be: what is given over what is saved."""
    data = _text_fields(evaluation)
    for key, value in (
        ("comment", comment),
        ("recommends_hiring", recommends_hiring),
        ("recommendation_reason", recommendation_reason),
    ):
        if value is not None:
            data[key] = value.strip()
    data["scores"] = {**current, **(scores or {})}
    return data


def _too_long() -> str:
    return _("Write at most %(max)d characters.") % {"max": COMMENT_MAX_LENGTH}


def _validate(evaluation: Evaluation, data: dict, *, complete: bool) -> None:
    """Every problem at once, keyed to its form field; raises before anything is written."""
    errors: dict[str, list[str]] = {}
    criteria = {c.pk for c in evaluation.rubric.criteria.all()}
    for criterion_id, level in data["scores"].items():
        if criterion_id not in criteria:
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                _("A score was given for a criterion that is not in this evaluation's rubric.")
            )
        elif not isinstance(level, int) or isinstance(level, bool) or not SCORE_MIN <= level <= SCORE_MAX:
            errors[criterion_field(criterion_id)] = [
                _("Choose a level from %(min)d to %(max)d.") % {"min": SCORE_MIN, "max": SCORE_MAX}
            ]
    for field in ("comment", "recommendation_reason"):
        if len(data[field]) > COMMENT_MAX_LENGTH:
            errors[field] = [_too_long()]
    if data["recommends_hiring"] and (
        not evaluation.is_final or data["recommends_hiring"] not in HiringRecommendation.values
    ):
        errors["recommends_hiring"] = [_("Choose yes, no or not sure.")]
    if complete:
        for criterion_id in sorted(criteria - data["scores"].keys()):
            errors[criterion_field(criterion_id)] = [_("Choose a level for this criterion.")]
        if evaluation.is_final:
            if not data["recommends_hiring"]:
                errors["recommends_hiring"] = [_("Say whether you recommend this intern for hiring.")]
            if not data["recommendation_reason"]:
                errors["recommendation_reason"] = [_("Give the reason for your recommendation.")]
    if errors:
        raise ValidationError(errors)


def _write(evaluation: Evaluation, current: dict[int, int], data: dict, *, by) -> None:
    """Only the scores that changed are written: one INSERT and one UPDATE at most."""
    new = {cid: level for cid, level in data["scores"].items() if cid not in current}
    changed = {
        cid: level for cid, level in data["scores"].items() if cid in current and current[cid] != level
    }
    if new:
        Score.objects.bulk_create(
            Score(evaluation=evaluation, criterion_id=cid, score=level) for cid, level in new.items()
        )
    if changed:
        rows = list(evaluation.scores.filter(criterion_id__in=changed))
        for row in rows:
            row.score = changed[row.criterion_id]
        Score.objects.bulk_update(rows, ["score"])
    evaluation.comment = data["comment"]
    evaluation.recommends_hiring = data["recommends_hiring"]
    evaluation.recommendation_reason = data["recommendation_reason"]
    if by is not None and evaluation.author_id is None:
        evaluation.author = by
    evaluation.revision += 1


def _snapshot(criteria, scores: dict[int, int], fields: dict) -> dict:
    """The evaluation as people read it, kept in the change history (names in both languages, so
    the history reads in either)."""
    return {
        "scores": [
            {"criterion": c.pk, "name_zh": c.name_zh, "name_en": c.name_en, "score": scores.get(c.pk)}
            for c in criteria
        ],
        "comment": fields["comment"],
        "recommends_hiring": fields["recommends_hiring"],
        "recommendation_reason": fields["recommendation_reason"],
    }


def _refresh_in_place(evaluation: Evaluation, locked: Evaluation) -> None:
    """The caller's instance shows what was saved (no second read)."""
    for field in (
        "status",
        "comment",
        "recommends_hiring",
        "recommendation_reason",
        "submitted_at",
        "released_at",
        "revision",
        "author_id",
        "updated_at",
    ):
        setattr(evaluation, field, getattr(locked, field))
