"""Which evaluations are due or overdue: the one rule the mentor's home, the reminders and the
staff digest share (an evaluation is due from the day its period opens until it is submitted)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from internships.models import Placement

from ..models import FINAL, WEEKS, Evaluation
from .schedule import ESCALATE_AFTER_DAYS, OVERDUE_AFTER_DAYS, period_opens_on

__all__ = [
    "ASSESSED_STATUSES",
    "Outstanding",
    "assessed_placements",
    "evaluation_statuses",
    "evaluations_outstanding",
    "overdue_evaluations_by_store",
]

# Published and not withdrawn; completed ones too (the final evaluation is due on the last day).
ASSESSED_STATUSES = (Placement.Status.PLANNED, Placement.Status.ACTIVE, Placement.Status.COMPLETED)
PERIODS = (*WEEKS, FINAL)


@dataclass(frozen=True)
class Outstanding:
    placement: Placement
    period: int
    due_on: date
    status: str  # "" when not started, else the draft's status

    @property
    def overdue_on(self) -> date:
        return self.due_on + timedelta(days=OVERDUE_AFTER_DAYS)

    @property
    def escalated_on(self) -> date:
        return self.due_on + timedelta(days=ESCALATE_AFTER_DAYS)

    def is_overdue(self, today: date) -> bool:
        return today >= self.overdue_on

    @property
    def period_label(self) -> str:
        return Evaluation.Period(self.period).label


def assessed_placements() -> QuerySet[Placement]:
    """Placements whose evaluations are still expected: published, not withdrawn, in a cohort
    whose results staff have not confirmed."""
    return Placement.objects.filter(status__in=ASSESSED_STATUSES).filter(
        Q(cohort__assessment__isnull=True) | Q(cohort__assessment__results_confirmed_at__isnull=True)
    )


def evaluation_statuses(placements) -> dict[tuple[int, int], str]:
    """(placement id, period) → status of every evaluation of these placements, in one query."""
    return {
        (pk, period): status
        for pk, period, status in Evaluation.objects.filter(placement__in=placements).values_list(
            "placement_id", "period", "status"
        )
    }


def evaluations_outstanding(
    placements: list[Placement], statuses: dict[tuple[int, int], str], today: date
) -> list[Outstanding]:
    """The periods of these placements that have opened (are due) and are not submitted, the
    oldest due first. `placements` come with their window and cohort (no query here)."""
    found = []
    for placement in placements:
        for period in PERIODS:
            status = statuses.get((placement.pk, period), "")
            if status == Evaluation.Status.SUBMITTED:
                continue
            due_on = period_opens_on(placement, period)
            if today >= due_on:
                found.append(Outstanding(placement, period, due_on, status))
    return sorted(found, key=lambda o: (o.due_on, o.placement.pk, o.period))


class _Counted(list):
    """A list the digest can count and slice like a queryset."""

    def count(self) -> int:  # type: ignore[override]
        return len(self)


def overdue_evaluations_by_store(today: date) -> list[dict]:
    """One row per store with overdue evaluations: {"store", "overdue"}, most overdue first."""
    placements = list(
        assessed_placements().filter(window__starts_on__lte=today).select_related("window", "cohort", "store")
    )
    statuses = evaluation_statuses([p.pk for p in placements])
    counts: dict[int, dict] = {}
    for item in evaluations_outstanding(placements, statuses, today):
        if item.is_overdue(today):
            row = counts.setdefault(item.placement.store_id, {"store": item.placement.store, "overdue": 0})
            row["overdue"] += 1
    return _Counted(sorted(counts.values(), key=lambda r: (-r["overdue"], r["store"].code)))
