"""Loading a reminder's subject at send time: the loaders several kinds share."""

from ..models import Application, Placement


def _application(reminder) -> Application | None:
    return Application.objects.select_related("cohort").filter(pk=reminder.subject_id).first()


def _placement(reminder) -> Placement | None:
    return (
        Placement.objects.select_related("store", "mentor__user", "student", "window", "cohort")
        .filter(pk=reminder.subject_id)
        .first()
    )
