"""Forms of the staff review: a decision, a bulk decision, and the queue's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Application, Cohort

DECISIONS = [
    (Application.Status.ACCEPTED, _("Accept")),
    (Application.Status.WAITLISTED, _("Waitlist")),
    (Application.Status.REJECTED, _("Reject")),
]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note to the student (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class BulkDecisionForm(DecisionForm):
    selected = forms.ModelMultipleChoiceField(
        queryset=Application.objects.all(),
        error_messages={
            "required": _("Select at least one application."),
        },
    )


class ReviewFilterForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label=_("Cohort"), queryset=Cohort.objects.all(), required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    major = forms.CharField(label=_("Major"), required=False, max_length=100)
    q = forms.CharField(label=_("Name or student number"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Waiting for a decision")), ("all", _("All"))] + [
            (value, label) for value, label in Application.Status.choices if value != Application.Status.DRAFT
        ]
