"""Planning, delivering and cancelling reminders; marking notifications read.

Delivery is at-least-once by design. Handing a message to a mail server and committing to the
database cannot be one atomic step, so we chose this order: claim the row (committed), send the
e-mail, then mark the row sent. A worker killed between the send and the commit leaves the row
"sending"; once its claim lease runs out, the next sender delivers it again, with the same
Message-ID, so the copy is recognisable. The opposite order (mark sent, then send) would lose the
message on such a crash, which is worse for "your placement starts on Monday".

The package: planning.py (plan, cancel, re-arm), delivery.py (the sender) and centre.py (the
notification centre). Every public name is importable from here.
"""

from .centre import notification_mark_read, notifications_mark_all_read, preferences_set
from .delivery import DeliveryReport, reminder_next_retry_before, reminders_deliver_due
from .planning import (
    at_nine,
    reminder_plan,
    reminder_retry,
    reminders_cancel,
    reminders_plan_daily,
    reminders_plan_many,
    reminders_release_today,
)

__all__ = [
    "DeliveryReport",
    "at_nine",
    "notification_mark_read",
    "notifications_mark_all_read",
    "preferences_set",
    "reminder_next_retry_before",
    "reminder_plan",
    "reminder_retry",
    "reminders_cancel",
    "reminders_deliver_due",
    "reminders_plan_daily",
    "reminders_plan_many",
    "reminders_release_today",
]
