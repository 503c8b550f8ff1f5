"""The student's forms: giving the consent to share with Xiaomi, answering an offer."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ConsentGiveForm(forms.Form):
    agree = forms.BooleanField(
        label=_(
            "I agree that the programme office shares my profile, CV, course results, evaluations and "
            "certificate link with Xiaomi Shenzhen's HR, to be considered for priority hiring."
        ),
        error_messages={"required": _("Tick the box to give your consent.")},
    )


class OfferAnswerForm(forms.Form):
    ACCEPT, DECLINE = "accept", "decline"

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    answer = forms.ChoiceField(choices=[(ACCEPT, _("Accept the offer")), (DECLINE, _("Decline the offer"))])

    @property
    def accepts(self) -> bool:
        return self.cleaned_data["answer"] == self.ACCEPT
