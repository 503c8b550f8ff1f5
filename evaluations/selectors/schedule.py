"""When each evaluation period of a placement opens: the rule every page, form and reminder uses."""

from datetime import date, timedelta

from internships.models import Placement

from ..models import FINAL, WEEKS

__all__ = [
    "ESCALATE_AFTER_DAYS",
    "OVERDUE_AFTER_DAYS",
    "current_week",
    "period_is_open",
    "period_opens_on",
    "week_days",
]

OVERDUE_AFTER_DAYS = 2  # the mentor is reminded again this many days after the due day
ESCALATE_AFTER_DAYS = 5  # … and the Xiaomi coordinator is told, once


def week_days(placement: Placement, week: int) -> list[date]:
    """The working days of placement week 1, 2 or 3 (week 3 runs to the window's last day)."""
    start = placement.window.starts_on + timedelta(days=7 * (week - 1))
    end = placement.window.ends_on if week == WEEKS[-1] else start + timedelta(days=6)
    return [day for day in placement.working_days() if start <= day <= end]


def period_opens_on(placement: Placement, period: int) -> date:
    """A week's evaluation opens (and is due) on that week's last working day; the final one on the
    placement's last working day. Reflections follow the same days."""
    if period == FINAL:
        days = placement.working_days()
        return days[-1] if days else placement.window.ends_on
    days = week_days(placement, period)
    if days:
        return days[-1]
    start = placement.window.starts_on + timedelta(days=7 * (period - 1))
    return min(start + timedelta(days=6), placement.window.ends_on)


def period_is_open(placement: Placement, period: int, today: date) -> bool:
    return today >= period_opens_on(placement, period)


def current_week(placement: Placement, today: date) -> int | None:
    """The placement week `today` falls in (1–3), None before or after the window."""
    if not placement.window.starts_on <= today <= placement.window.ends_on:
        return None
    return min(WEEKS[-1], (today - placement.window.starts_on).days // 7 + 1)
