"""Forms of the staff side: the candidates' filters, the batch of recommendations, a withdrawal,
and a cohort's hiring settings."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from evaluations.models import Band
from evaluations.services import PASSING_BANDS
from internships.models import Cohort, District

from ..models import HiringSettings, Priority, RecommendationStatus
from ..selectors import CANDIDATE_ORDERS
from ..services import WEIGHT_FIELDS

JUSTIFICATION_MAX_LENGTH = 2000


class CandidateFilterForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label=_("Cohort"),
        queryset=Cohort.objects.order_by("-applications_open_on"),
        required=False,
        empty_label=_("All"),
    )
    band = forms.ChoiceField(label=_("Result"), required=False)
    major = forms.ChoiceField(label=_("Major"), required=False)
    graduation_year = forms.TypedChoiceField(
        label=_("Graduation year"), required=False, coerce=int, empty_value=None
    )
    district = forms.ChoiceField(
        label=_("Preferred district"), required=False, choices=[("", _("Any")), *District.choices]
    )
    order = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args, majors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["band"].choices = [("", _("All"))] + [(b, Band(b).label) for b in PASSING_BANDS]
        self.fields["major"].choices = [("", _("All")), *((m, m) for m in majors)]
        self.fields["graduation_year"].choices = [("", _("All"))] + [(y, y) for y in range(2020, 2041)]
        labels = {
            "score": _("Score"),
            "course": _("Courses"),
            "evaluation": _("Evaluations"),
            "recommendation": _("Mentor's recommendation"),
            "attendance": _("Attendance"),
            "name": _("Name"),
        }
        self.fields["order"].choices = [(key, labels[key]) for key in CANDIDATE_ORDERS]


class SentFilterForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label=_("Cohort"),
        queryset=Cohort.objects.order_by("-applications_open_on"),
        required=False,
        empty_label=_("All"),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *RecommendationStatus.choices]
    )
    priority = forms.ChoiceField(
        label=_("Priority level"), required=False, choices=[("", _("All")), *Priority.choices]
    )


class NominationForm(forms.Form):
    """One graduate of the batch: the result is fixed by the page; staff choose and write the rest."""

    result = forms.IntegerField(widget=forms.HiddenInput)
    priority = forms.ChoiceField(
        label=_("Priority level"),
        choices=Priority.choices,
        initial=Priority.STANDARD,
        widget=forms.RadioSelect,
    )
    justification = forms.CharField(
        label=_("Why do you recommend this graduate?"),
        max_length=JUSTIFICATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write why you recommend this graduate.")},
    )

    def clean_justification(self):
        value = self.cleaned_data["justification"].strip()
        if not value:
            raise ValidationError(_("Write why you recommend this graduate."))
        return value


class BaseNominationFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Leave out of this batch")

    def clean(self):
        if any(self.errors):
            return
        ids = [form.cleaned_data["result"] for form in self.forms if form.cleaned_data]
        if len(ids) != len(set(ids)):
            raise ValidationError(_("A graduate appears twice in this batch."))


NominationFormSet = forms.formset_factory(
    NominationForm,
    formset=BaseNominationFormSet,
    can_delete=True,
    extra=0,  # one form per graduate chosen; all left out: the service says to choose one
    max_num=200,
    validate_max=True,
)


class WithdrawForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Why is it withdrawn?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why you withdraw this recommendation.")},
    )


class HiringSettingsForm(forms.Form):
    """The fields of `HiringSettings`, as the model defines them (a plain form: the service saves)."""

    FIELDS = (*WEIGHT_FIELDS, "response_days", "student_sees")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.FIELDS:
            self.fields[name] = HiringSettings._meta.get_field(name).formfield()
        self.fields["student_sees"].widget = forms.RadioSelect(choices=self.fields["student_sees"].choices)

    def clean(self):
        cleaned = super().clean()
        weights = [cleaned.get(name) for name in WEIGHT_FIELDS]
        if None not in weights and sum(weights) != 100:
            raise ValidationError(
                _("The four weights must add up to 100 (now %(total)s).") % {"total": sum(weights)}
            )
        return cleaned


def errors_onto(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's ValidationError shown on the form: by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
