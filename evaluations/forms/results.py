"""Forms of results and certificates: the cohort's assessment settings, an override, a revocation.

Plain forms (not model forms): the services check the rules (weights sum to 100, thresholds in
order) and their messages are shown next to the field.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import AssessmentSettings, Band, ReleaseMode

__all__ = ["AssessmentSettingsForm", "OverrideForm", "RevokeForm", "errors_onto"]

WEIGHTS = ("course_weight", "evaluation_weight", "attendance_weight")
THRESHOLDS = ("distinction_from", "merit_from", "pass_from")


def _percent(name: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=AssessmentSettings._meta.get_field(name).verbose_name, min_value=0, max_value=100
    )


class AssessmentSettingsForm(forms.Form):
    release_mode = forms.ChoiceField(
        label=_("Students see an evaluation"), choices=ReleaseMode.choices, widget=forms.RadioSelect
    )
    course_weight = _percent("course_weight")
    evaluation_weight = _percent("evaluation_weight")
    attendance_weight = _percent("attendance_weight")
    distinction_from = _percent("distinction_from")
    merit_from = _percent("merit_from")
    pass_from = _percent("pass_from")

    def __init__(self, *args, frozen: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendance_weight"].help_text = _("The three weights add up to 100.")
        self.fields["pass_from"].help_text = _("Out of 100 points; distinction above merit above pass.")
        if frozen:
            for name in (*WEIGHTS, *THRESHOLDS):
                self.fields[name].disabled = True


class OverrideForm(forms.Form):
    band = forms.ChoiceField(
        label=_("Result"),
        choices=[("", _("As computed (remove the override)"))]
        + [(b.value, b.label) for b in (Band.DISTINCTION, Band.MERIT, Band.PASS, Band.NOT_PASSED)],
        required=False,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the result and shown to staff."),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The public verification page will say the certificate is revoked (not why)."),
    )


def errors_onto(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError shown on the form: by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
