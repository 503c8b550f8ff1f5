"""Forms of the placement board: an eligibility exception, a move, placing by hand, a withdrawal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Mentor


class ExceptionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the exception"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


def _store_and_mentor(mentor) -> str:
    return f"{mentor.store.name} · {mentor.user.full_name}"


class MoveForm(forms.Form):
    mentor = forms.ModelChoiceField(label=_("Store and mentor"), queryset=None)
    reason = forms.CharField(label=_("Reason (required once published)"), required=False, max_length=500)

    def __init__(self, *args, window, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = (
            Mentor.objects.certified_for(window)
            .select_related("store", "user")
            .order_by("store__district", "store__code", "user__full_name")
        )
        self.fields["mentor"].label_from_instance = _store_and_mentor


class PlaceForm(forms.Form):
    """Place one student by hand: the window (when the cohort has several), store and mentor, why."""

    window = forms.ModelChoiceField(label=_("Placement window"), queryset=None, empty_label=None)
    mentor = forms.ModelChoiceField(label=_("Store and mentor"), queryset=None)
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        windows = list(application.cohort.placement_windows.order_by("starts_on"))
        self.fields["window"].queryset = application.cohort.placement_windows.order_by("starts_on")
        self.fields["window"].initial = application.window_id or (windows[0].pk if windows else None)
        if len(windows) == 1:
            self.fields["window"].widget = forms.HiddenInput()
        certified = Mentor.objects.none()
        for window in windows:
            certified = certified | Mentor.objects.certified_for(window)
        self.fields["mentor"].queryset = (
            Mentor.objects.filter(pk__in=certified.values("pk"))
            .select_related("store", "user")
            .order_by("store__district", "store__code", "user__full_name")
        )
        self.fields["mentor"].label_from_instance = _store_and_mentor


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
