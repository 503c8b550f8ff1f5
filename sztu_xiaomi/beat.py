"""Celery beat's scheduler: django-celery-beat's database scheduler, with the settings as the
only source of entries.

The database scheduler copies CELERY_BEAT_SCHEDULE into PeriodicTask rows on start-up but never
removes a row, so an entry deleted from the settings kept firing from the database. On start-up
this scheduler disables every row whose name is not in the settings (disabled, not deleted: an
operator can see what was switched off, in the Django admin). No migration is involved.
"""

import logging

from django_celery_beat.models import PeriodicTask, PeriodicTasks
from django_celery_beat.schedulers import DatabaseScheduler

logger = logging.getLogger(__name__)

# Entries Celery itself installs (only with a result backend, which we do not configure).
CELERY_OWN_ENTRIES = {"celery.backend_cleanup"}


def periodic_tasks_disable_unlisted(*, keep: set[str]) -> list[str]:
    stale = list(
        PeriodicTask.objects.filter(enabled=True).exclude(name__in=keep).values_list("name", flat=True)
    )
    if stale:
        PeriodicTask.objects.filter(name__in=stale).update(enabled=False)
        PeriodicTasks.update_changed()  # .update() sends no signal: tell running schedulers
        logger.warning("beat: disabled entries no longer in CELERY_BEAT_SCHEDULE: %s", ", ".join(stale))
    return stale


class SettingsDatabaseScheduler(DatabaseScheduler):
    def setup_schedule(self):
        periodic_tasks_disable_unlisted(keep=set(self.app.conf.beat_schedule) | CELERY_OWN_ENTRIES)
        super().setup_schedule()
