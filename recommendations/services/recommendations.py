"""Staff send recommendations to Xiaomi; Xiaomi HR move them through the hiring pipeline; the
student answers an offer; staff withdraw one.

Every move goes through `recommendation_move`: the machine's allowed jumps only (`TRANSITIONS`),
who may make which move, and optimistic locking — the caller says which `version` it saw and a
move made on an older one is refused with `RecommendationConflict` ("changed by someone else").
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from evaluations.models import ProgrammeResult
from evaluations.services import PASSING_BANDS

from ..models import (
    TRANSITIONS,
    HiringConsent,
    HiringSettings,
    Priority,
    Recommendation,
    RecommendationEvent,
    RecommendationStatus,
)

__all__ = [
    "HR_MOVES",
    "Interview",
    "Nomination",
    "RecommendationConflict",
    "RecommendationError",
    "recommendation_answer_offer",
    "recommendation_move",
    "recommendations_send",
]

S = RecommendationStatus

# Which moves each side makes: Xiaomi HR run their pipeline (and record a student's refusal given
# to them directly); the student answers an offer on the platform; the university withdraws.
HR_MOVES = (S.REVIEWING, S.INTERVIEW, S.OFFER, S.HIRED, S.DECLINED_BY_XIAOMI, S.DECLINED_BY_STUDENT)
STUDENT_MOVES = (S.HIRED, S.DECLINED_BY_STUDENT)
STAFF_MOVES = (S.WITHDRAWN,)


class RecommendationError(Exception):
    """A move the pipeline does not allow; the message says why, in the reader's language."""


class RecommendationConflict(RecommendationError):
    """Someone else changed the recommendation since the page was loaded."""


@dataclass
class Nomination:
    """One graduate in a batch: their programme result, the priority and the justification."""

    result: ProgrammeResult
    priority: str
    justification: str


@dataclass
class Interview:
    at: datetime
    place: str
    interviewer: User


def _settings_for(cohort) -> HiringSettings:
    return getattr(cohort, "hiring", None) or HiringSettings.defaults(cohort)


def recommendations_send(*, by: User, nominations: list[Nomination]) -> list[Recommendation]:
    """Send a batch to Xiaomi at once: all of it, or — on any refusal — nothing.

    Refused: a student without an open consent to share with Xiaomi (named in the message), a
    result that did not pass, a student already recommended in that cohort, an empty
    justification or an unknown priority.
    """
    if not by.has_role(Role.STAFF, Role.ADMIN):
        raise PermissionError("only the programme office recommends graduates")
    if not nominations:
        raise ValidationError(_("Choose at least one graduate to recommend."))
    errors = []
    for n in nominations:
        name = n.result.placement.student.full_name
        if n.priority not in Priority.values:
            errors.append(_("%(name)s: choose a priority.") % {"name": name})
        if not n.justification.strip():
            errors.append(_("%(name)s: write why you recommend them.") % {"name": name})
        if n.result.band not in PASSING_BANDS:
            errors.append(_("%(name)s has not completed the programme.") % {"name": name})
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    with transaction.atomic():
        student_ids = [n.result.placement.student_id for n in nominations]
        # Locked: a consent withdrawn while the batch is sent either comes first (refused) or
        # waits until the batch is in (and then hides it).
        consents = {
            c.student_id: c
            for c in HiringConsent.objects.select_for_update().active().filter(student_id__in=student_ids)
        }
        missing = [
            n.result.placement.student.full_name
            for n in nominations
            if n.result.placement.student_id not in consents
        ]
        if missing:
            raise ValidationError(
                _(
                    "Not sent: %(names)s did not agree to share their data with Xiaomi for hiring. "
                    "Ask them to give this consent, or leave them out of the batch."
                )
                % {"names": "、".join(missing)}
            )
        already = set(
            Recommendation.objects.filter(
                student_id__in=student_ids, cohort_id__in={n.result.placement.cohort_id for n in nominations}
            ).values_list("student_id", "cohort_id")
        )
        twice = [
            n.result.placement.student.full_name
            for n in nominations
            if (n.result.placement.student_id, n.result.placement.cohort_id) in already
        ]
        if twice:
            raise ValidationError(
                _("Not sent: %(names)s were already recommended from this cohort.")
                % {"names": "、".join(twice)}
            )
        rows = []
        for n in nominations:
            placement = n.result.placement
            hiring = _settings_for(placement.cohort)
            rows.append(
                Recommendation(
                    cohort=placement.cohort,  # the instance: notify_recommended reads its settings
                    student_id=placement.student_id,
                    result=n.result,
                    consent=consents[placement.student_id],
                    priority=n.priority,
                    justification=n.justification.strip(),
                    recommended_by=by,
                    sent_at=now,
                    respond_by=timezone.localdate(now) + timedelta(days=hiring.response_days),
                    status=S.RECEIVED,
                    status_changed_at=now,
                )
            )
        try:
            with transaction.atomic():
                created = Recommendation.objects.bulk_create(rows)
        except IntegrityError as error:
            # Sent by a colleague at the same moment.
            raise ValidationError(
                _("Not sent: some of these graduates were just recommended by someone else.")
            ) from error
        events = RecommendationEvent.objects.bulk_create(
            [
                RecommendationEvent(recommendation=r, actor=by, from_status="", to_status=S.RECEIVED, at=now)
                for r in created
            ]
        )
        from ..reminders import notify_recommended

        notify_recommended(events)
    return created


def _may(user: User, to_status: str, recommendation: Recommendation) -> bool:
    if user.has_role(Role.HR):
        return to_status in HR_MOVES
    if user.has_role(Role.STAFF, Role.ADMIN):
        return to_status in STAFF_MOVES
    if user.has_role(Role.STUDENT):
        return to_status in STUDENT_MOVES and recommendation.student_id == user.pk
    return False


def recommendation_move(
    *,
    by: User,
    recommendation_id: int,
    to_status: str,
    version: int,
    note: str = "",
    interview: Interview | None = None,
) -> Recommendation:
    """Move a recommendation to `to_status`, as `by`, from the `version` the caller saw."""
    if to_status not in S.values:
        raise RecommendationError(_("Unknown status."))
    with transaction.atomic():
        recommendation = (
            Recommendation.objects.visible_to(by)
            .select_for_update(of=("self",))
            .select_related("cohort")
            .filter(pk=recommendation_id)
            .first()
        )
        if recommendation is None:
            raise Recommendation.DoesNotExist
        if recommendation.version != version:
            raise RecommendationConflict(
                _(
                    "This recommendation was changed by someone else (it is now “%(status)s”). "
                    "Nothing was saved: look at it again and repeat your change if it still applies."
                )
                % {"status": recommendation.get_status_display()}
            )
        if to_status not in TRANSITIONS[recommendation.status]:
            raise RecommendationError(
                _("A recommendation that is “%(from)s” cannot become “%(to)s”.")
                % {"from": recommendation.get_status_display(), "to": S(to_status).label}
            )
        if not _may(by, to_status, recommendation):
            raise PermissionError(f"{by} may not move a recommendation to {to_status}")
        now = timezone.now()
        details = {}
        if to_status == S.INTERVIEW:
            if interview is None or not interview.place.strip() or interview.interviewer is None:
                raise ValidationError(
                    _("An interview needs its date and time, the store or office, and the interviewer.")
                )
            if not interview.interviewer.has_role(Role.HR, Role.MENTOR):
                raise ValidationError(_("The interviewer must be a Xiaomi colleague with an account."))
            if interview.at <= now:
                raise ValidationError({"interview_at": _("The interview must be in the future.")})
            recommendation.interview_at = interview.at
            recommendation.interview_place = interview.place.strip()
            recommendation.interviewer = interview.interviewer
            details = {
                "at": interview.at.isoformat(),
                "place": recommendation.interview_place,
                "interviewer": interview.interviewer.pk,
            }
        from_status = recommendation.status
        recommendation.status = to_status
        recommendation.status_changed_at = now
        if recommendation.first_response_at is None:
            recommendation.first_response_at = now
        updated = Recommendation.objects.filter(pk=recommendation.pk, version=version).update(
            status=to_status,
            status_changed_at=now,
            first_response_at=recommendation.first_response_at,
            interview_at=recommendation.interview_at,
            interview_place=recommendation.interview_place,
            interviewer=recommendation.interviewer,
            version=F("version") + 1,
            updated_at=now,
        )
        if updated != 1:  # pragma: no cover - the row lock above makes this unreachable
            raise RecommendationConflict(_("This recommendation was changed by someone else."))
        recommendation.version = version + 1
        event = RecommendationEvent.objects.create(
            recommendation=recommendation,
            actor=by,
            from_status=from_status,
            to_status=to_status,
            note=note.strip(),
            details=details,
            at=now,
        )
        from ..reminders import notify_moved

        notify_moved(event)
    return recommendation


def recommendation_answer_offer(
    *, student: User, recommendation_id: int, version: int, accept: bool
) -> Recommendation:
    """The student accepts (hired) or declines an offer Xiaomi made them."""
    return recommendation_move(
        by=student,
        recommendation_id=recommendation_id,
        to_status=S.HIRED if accept else S.DECLINED_BY_STUDENT,
        version=version,
    )
