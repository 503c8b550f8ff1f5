"""Writes of weekly reflections: the student's submission (editable until the mentor replies) and
the mentor's reply."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from internships.models import Placement

from ..models import REFLECTION_MAX_LENGTH, REFLECTION_MIN_LENGTH, WEEKS, Reflection
from ..selectors.schedule import period_opens_on

__all__ = ["REFLECTION_OPEN_STATUSES", "reflection_length", "reflection_reply", "reflection_submit"]

# Published and not withdrawn: the student writes during the placement and after it (week 3's
# reflection opens on the last day, so it is often written once the placement is completed).
REFLECTION_OPEN_STATUSES = (Placement.Status.PLANNED, Placement.Status.ACTIVE, Placement.Status.COMPLETED)

ANSWERS = ("learned", "difficult", "goal")


def reflection_length(text: str) -> int:
    """Characters as a reader counts them: each Chinese character is one, runs of spaces and line
    breaks count once (so padding with spaces does not reach the minimum)."""
    return len(" ".join(text.split()))


def _answer_errors(answers: dict[str, str]) -> dict[str, str]:
    errors = {}
    for name, text in answers.items():
        length = reflection_length(text)
        if length < REFLECTION_MIN_LENGTH:
            errors[name] = _(
                "Write at least %(min)s characters (you wrote %(count)s): a few sentences about your week."
            ) % {"min": REFLECTION_MIN_LENGTH, "count": length}
        elif len(text.strip()) > REFLECTION_MAX_LENGTH:
            errors[name] = _("Keep it to %(max)s characters at most (you wrote %(count)s).") % {
                "max": REFLECTION_MAX_LENGTH,
                "count": len(text.strip()),
            }
    return errors


@transaction.atomic
def reflection_submit(
    *, placement: Placement, week: int, learned: str, difficult: str, goal: str, by: User
) -> Reflection:
    """The placed student's reflection on one placement week: one per week (database-unique).

    It opens on the week's last working day, the day the mentor's evaluation of the week opens
    (`period_opens_on`): a reflection looks back on a whole week and sets the goal for the next,
    so it is written once the week has been lived, not half-way. There is no closing date.
    Submitting again for the same week edits the student's own reflection until the mentor has
    replied; after the reply it is kept as the mentor read it.
    """
    if by.pk != placement.student_id:
        raise ValidationError(_("Only the student on this placement can write its reflections."))
    if placement.status not in REFLECTION_OPEN_STATUSES:
        raise ValidationError(_("This placement is not published, or it was withdrawn."))
    if week not in WEEKS:
        raise ValidationError(_("There is no placement week %(week)s.") % {"week": week})
    opens_on = period_opens_on(placement, week)
    if timezone.localdate() < opens_on:
        raise ValidationError(
            _("The reflection on week %(week)s opens on %(date)s, the last working day of that week.")
            % {"week": week, "date": date_format(opens_on, "DATE_FORMAT")}
        )
    answers = {"learned": learned.strip(), "difficult": difficult.strip(), "goal": goal.strip()}
    errors = _answer_errors(answers)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    # compare-and-swap: an edit lands only while the mentor has not replied (a reply that comes
    # in between wins, and the student is told)
    if Reflection.objects.filter(placement=placement, week=week, reply="").update(
        **answers, submitted_at=now, updated_at=now
    ):
        return Reflection.objects.get(placement=placement, week=week)
    if Reflection.objects.filter(placement=placement, week=week).exists():
        raise ValidationError(
            _("Your mentor has already replied to this reflection: it can no longer be changed.")
        )
    try:
        with transaction.atomic():
            return Reflection.objects.create(placement=placement, week=week, submitted_at=now, **answers)
    except IntegrityError:  # the same week sent from two tabs at once: the first one is kept
        raise ValidationError(
            _("This week's reflection was just saved from another window. Reload the page.")
        ) from None


@transaction.atomic
def reflection_reply(*, reflection: Reflection, text: str, by: User) -> Reflection:
    """The intern's mentor replies (a later reply replaces the earlier one)."""
    placement = reflection.placement
    if by.pk != placement.mentor.user_id:
        raise ValidationError(_("Only the intern's mentor can reply to this reflection."))
    text = text.strip()
    if not text:
        raise ValidationError({"reply": _("Write a reply.")})
    if len(text) > REFLECTION_MAX_LENGTH:
        raise ValidationError(
            {
                "reply": _("Keep it to %(max)s characters at most (you wrote %(count)s).")
                % {"max": REFLECTION_MAX_LENGTH, "count": len(text)}
            }
        )
    now = timezone.now()
    Reflection.objects.filter(pk=reflection.pk).update(
        reply=text, replied_by=by, replied_at=now, updated_at=now
    )
    reflection.refresh_from_db()
    return reflection
