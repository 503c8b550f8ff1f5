"""Forms of the courses app: staff granting extra quiz attempts."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ATTEMPT_GRANT_MAX_EXTRA


class AttemptGrantForm(forms.Form):
    extra = forms.IntegerField(
        label=_("Extra attempts"), min_value=1, max_value=ATTEMPT_GRANT_MAX_EXTRA, initial=1
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("Recorded with your name and today's date."),
    )
