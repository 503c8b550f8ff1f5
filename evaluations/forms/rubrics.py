"""The rubric form: one card per criterion (its names and five level descriptors in both languages)."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from ..models import Criterion
from ..selectors.rubrics import CRITERION_TEXT_FIELDS
from ..services.rubrics import CRITERIA_MAX

__all__ = ["CriterionForm", "RubricFormSet", "rubric_formset"]


class CriterionForm(forms.ModelForm):
    """Validates one criterion's texts (required, lengths from the model); saves nothing itself."""

    position = forms.IntegerField(
        label=_("Position"),
        min_value=1,
        max_value=CRITERIA_MAX + 1,
        required=False,
        help_text=_("1 comes first."),
    )

    class Meta:
        model = Criterion
        fields = CRITERION_TEXT_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 2}) for name in CRITERION_TEXT_FIELDS if "level" in name
        }

    def texts(self) -> dict:
        return {name: self.cleaned_data[name] for name in CRITERION_TEXT_FIELDS}


class RubricFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this criterion")

    def kept_forms(self) -> list[CriterionForm]:
        """The criteria to save, in their new order: by position, then as on the page (an unfilled
        extra card and removed ones left out)."""
        kept = [
            (index, form)
            for index, form in enumerate(self.forms)
            if (index < self.initial_form_count() or form.has_changed())
            and not self._should_delete_form(form)
        ]
        unplaced = CRITERIA_MAX + 2
        kept.sort(key=lambda pair: (pair[1].cleaned_data.get("position") or unplaced, pair[0]))
        return [form for _index, form in kept]

    def criteria(self) -> list[dict]:
        return [form.texts() for form in self.kept_forms()]

    def add_service_error(self, error: ValidationError) -> None:
        """Show a service's error next to its field: "<index>.<field>" keys count from 0 in
        `criteria()`; anything else is about the whole rubric."""
        forms_in_order = self.kept_forms()
        for key, messages in error.message_dict.items():
            index, _dot, name = key.partition(".")
            if name and index.isdigit() and int(index) < len(forms_in_order):
                forms_in_order[int(index)].add_error(name, messages)
            else:
                self._non_form_errors.extend(messages)


_FormSet = formset_factory(
    CriterionForm,
    formset=RubricFormSet,
    extra=1,  # an empty card to add a criterion
    can_delete=True,
    max_num=CRITERIA_MAX,
    absolute_max=CRITERIA_MAX + 1,
)


def rubric_formset(*, criteria, data=None) -> RubricFormSet:
    """The form for `criteria` (saved or default Criterion objects); on a POST, bound to `data`
    alone (what was loaded may have changed since, and an empty extra card must stay empty)."""
    if data is not None:
        return _FormSet(data, prefix="criteria")
    initial = [
        {"position": position, **{name: getattr(criterion, name) for name in CRITERION_TEXT_FIELDS}}
        for position, criterion in enumerate(criteria, start=1)
    ]
    return _FormSet(initial=initial, prefix="criteria")
