"""Forms of weekly reflections: the student's three answers and the mentor's reply."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import REFLECTION_MAX_LENGTH, REFLECTION_MIN_LENGTH


def _answer(label):
    # not required here: an empty answer gets the service's "at least N characters", like a short one
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": REFLECTION_MAX_LENGTH}),
    )


class ReflectionForm(forms.Form):
    """The three answers; their length rules are the service's (`reflection_submit`)."""

    learned = _answer(_("What I learned"))
    difficult = _answer(_("What was hard"))
    goal = _answer(_("My goal for next week"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        hint = gettext("At least %(min)s characters.") % {"min": REFLECTION_MIN_LENGTH}
        for field in self.fields.values():
            field.help_text = hint


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("My reply"), widget=forms.Textarea(attrs={"rows": 4, "maxlength": REFLECTION_MAX_LENGTH})
    )
