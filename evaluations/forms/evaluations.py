"""The mentor's evaluation form: one level per criterion, a comment, the final recommendation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import COMMENT_MAX_LENGTH, LEVELS, HiringRecommendation

__all__ = ["EvaluationForm"]


class EvaluationForm(forms.Form):
    """Cleans what the page (or its autosave) sends; the rules (every criterion scored, the final
    recommendation) are the services'. Every field is optional here so a draft can be partial."""

    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What went well, and what to work on next."),
    )
    recommends_hiring = forms.ChoiceField(
        label=_("I recommend this intern for hiring"),
        required=False,
        choices=HiringRecommendation.choices,
        widget=forms.RadioSelect,
    )
    recommendation_reason = forms.CharField(
        label=_("Reason for the recommendation"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to change a submitted evaluation; kept in its history."),
    )

    def __init__(self, *args, criteria=(), final=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criterion_fields = []
        for row in criteria:
            self.fields[row.field_name] = forms.TypedChoiceField(
                label=row.name,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[(level, str(level)) for level in LEVELS],
                error_messages={"invalid_choice": _("Choose a level from 1 to 5.")},
            )
            self.criterion_fields.append((row, row.field_name))
        if not final:
            del self.fields["recommends_hiring"]
            del self.fields["recommendation_reason"]
        self.final = final

    def criteria_bound(self) -> list:
        """(criterion row, its bound field) in the rubric's order, for the template."""
        return [(row, self[name]) for row, name in self.criterion_fields]

    def service_data(self) -> dict:
        """Keyword arguments of the evaluation services: only the criteria that have a level."""
        data = self.cleaned_data
        scores = {
            row.criterion.pk: data[name] for row, name in self.criterion_fields if data.get(name) is not None
        }
        kwargs = {"scores": scores, "comment": data.get("comment", "")}
        if self.final:
            kwargs["recommends_hiring"] = data.get("recommends_hiring", "")
            kwargs["recommendation_reason"] = data.get("recommendation_reason", "")
        return kwargs
