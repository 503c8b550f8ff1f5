"""The calendar of the mentor-evaluation tests: a placement from 2 to 22 November 2026, every day
a working day, so week 1 opens on Sunday 8 November, week 2 on the 15th, week 3 and the final
evaluation on the 22nd."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import time_machine

from tests.factories import CohortFactory, PlacementFactory, PlacementWindowFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
STARTS, ENDS = date(2026, 11, 2), date(2026, 11, 22)
WEEK_1_OPENS = date(2026, 11, 8)


def at(day: date, hour: int = 10):
    """Travel to `day` at `hour` in Shanghai (the clock keeps still)."""
    return time_machine.travel(datetime.combine(day, time(hour), SHANGHAI), tick=False)


def placement_in(window=None, **fields):
    if window is None:
        window = window_of_november()
    return PlacementFactory(window=window, **fields)


def window_of_november():
    return PlacementWindowFactory(
        cohort=CohortFactory(placement_weekdays="1234567"), starts_on=STARTS, ends_on=ENDS
    )
