"""One mapping from each state to its colour, used through {% status_badge %} on every page."""

import re
from pathlib import Path

import pytest
from django.db import models
from django.template import Context, Template

from accounts import ui
from accounts.models import Invitation
from internships.models import Application, Attendance, Cohort, Placement
from notifications.models import Reminder

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (Invitation, "status"),
        (Reminder, "status"),
        (Cohort, "status"),
        (Application, "status"),
        (Placement, "status"),
        (Attendance, "mark"),
    ],
)
def test_every_state_of_every_shown_status_has_its_tone(model, field):
    tones = ui.registered()[(model, field)]
    choices = getattr(model, "Status", None) if field == "status" else model.Mark

    assert set(tones) == set(choices.values)


def test_a_mapping_that_forgets_a_state_is_refused():
    class Colour(models.TextChoices):
        RED = "red", "Red"
        BLUE = "blue", "Blue"

    with pytest.raises(ValueError, match="missing"):
        ui.register_tones(Cohort, "colour", Colour, {Colour.RED: "danger"})
    with pytest.raises(ValueError, match="bad"):
        ui.register_tones(Cohort, "colour", Colour, {Colour.RED: "danger", Colour.BLUE: "sky-blue"})


def test_the_badge_names_the_state_in_its_tone():
    application = Application(status=Application.Status.WAITLISTED)

    html = Template("{% load ui %}{% status_badge application %}").render(
        Context({"application": application})
    )

    assert html == '<span class="badge rounded-pill text-bg-warning">Waitlisted</span>'


def test_no_template_writes_a_states_colour_by_hand():
    by_hand = re.compile(r"{%\s*(el)?if [\w.]+\.(status|mark) == [^%]*%}\s*text-bg-")
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if by_hand.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
