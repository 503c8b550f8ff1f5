"""Forms of Xiaomi HR's side: the table's filters, a move, and the interview to schedule."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from internships.models import Cohort

from ..models import Priority, RecommendationStatus


class IsoDateTimeInput(forms.DateTimeInput):
    """A browser date-and-time picker (`<input type="datetime-local">`), which only accepts
    yyyy-mm-ddThh:mm (the language's format would be dropped by the browser)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class TableFilterForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label=_("Cohort"),
        queryset=Cohort.objects.order_by("-applications_open_on", "-id"),
        required=False,
        empty_label=_("All cohorts"),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *RecommendationStatus.choices], required=False
    )
    priority = forms.ChoiceField(
        label=_("Priority level"), choices=[("", _("All priorities")), *Priority.choices], required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    q = forms.CharField(
        label=_("Name or student number"),
        required=False,
        max_length=100,
        help_text=_("The beginning of the name or of the number."),
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        choices=[
            ("priority", _("Priority first, then the oldest")),
            ("oldest", _("Oldest first")),
            ("newest", _("Newest first")),
            ("respond_by", _("Response due first")),
        ],
        required=False,
    )

    def criteria(self) -> dict:
        """The valid filters, as keyword arguments of `recommendations_table` (none if invalid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "cohort": data["cohort"],
            "status": data["status"],
            "priority": data["priority"],
            "overdue": data["overdue"],
            "q": data["q"],
            "sort": data["sort"] or "priority",
        }


class MoveForm(forms.Form):
    to_status = forms.ChoiceField(choices=RecommendationStatus.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000)


class InterviewForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    at = forms.DateTimeField(
        label=_("Date and time"),
        widget=IsoDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Shenzhen time."),
    )
    place = forms.CharField(
        label=_("Store or office"),
        max_length=200,
        widget=forms.TextInput(attrs={"list": "interview-places", "autocomplete": "off"}),
    )
    interviewer = forms.ModelChoiceField(label=_("Interviewer"), queryset=None)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000)

    def __init__(self, *args, interviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interviewer"].queryset = interviewers
        self.fields["interviewer"].label_from_instance = lambda user: (
            f"{user.display_name} · {user.get_role_display()}"
        )

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at <= timezone.now():
            raise forms.ValidationError(_("The interview must be in the future."))
        return at
