"""The mentor's check-in confirmation: the code on the student's phone."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CheckInConfirmForm(forms.Form):
    code = forms.CharField(label=_("Code on the student's phone"), max_length=6, min_length=6)
