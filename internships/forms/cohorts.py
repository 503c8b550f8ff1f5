"""The cohort form: the cohort's fields, its course due dates and up to three placement windows."""

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.selectors import programme_courses
from sztu_xiaomi.widgets import IsoDateInput

from ..models import Cohort
from ..services import course_due_field


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = [
            "code",
            "name_zh",
            "name_en",
            "status",
            "applications_open_on",
            "applications_close_on",
            "target_size",
            "placement_weekdays",
            "placement_cutoff_on",
            "what_to_bring_zh",
            "what_to_bring_en",
        ]
        widgets = {
            "applications_open_on": IsoDateInput(),
            "applications_close_on": IsoDateInput(),
            "placement_cutoff_on": IsoDateInput(),
            "what_to_bring_zh": forms.Textarea(attrs={"rows": 2}),
            "what_to_bring_en": forms.Textarea(attrs={"rows": 2}),
        }

    WINDOWS = 3

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["placement_weekdays"].required = False
        self.courses = list(programme_courses())
        plan = {}
        windows = []
        if self.instance.pk:
            plan = {cc.course_id: cc.due_on for cc in self.instance.course_plan.all()}
            windows = list(self.instance.placement_windows.order_by("starts_on"))
        for course in self.courses:
            self.fields[course_due_field(course)] = forms.DateField(
                label=_("“%(course)s” due on") % {"course": course.title},
                widget=IsoDateInput(),
                initial=plan.get(course.pk),
            )
        for i in range(1, self.WINDOWS + 1):
            window = windows[i - 1] if i <= len(windows) else None
            required = i == 1
            self.fields[f"window_{i}_start"] = forms.DateField(
                label=_("Placement window %(n)s starts") % {"n": i},
                required=required,
                widget=IsoDateInput(),
                initial=window.starts_on if window else None,
            )
            self.fields[f"window_{i}_end"] = forms.DateField(
                label=_("Placement window %(n)s ends") % {"n": i},
                required=required,
                widget=IsoDateInput(),
                initial=window.ends_on if window else None,
            )

    def clean_placement_weekdays(self):
        days = (self.cleaned_data.get("placement_weekdays") or "12345").strip()
        if any(d not in "1234567" for d in days) or len(set(days)) != len(days):
            raise forms.ValidationError(_("Write the working days as digits 1–7 (1 = Monday), e.g. 12345."))
        return "".join(sorted(days))

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("applications_open_on"), cleaned.get("applications_close_on")
        if opens and closes and closes < opens:
            self.add_error(
                "applications_close_on", _("Applications must close on or after the day they open.")
            )
        for i in range(1, self.WINDOWS + 1):
            start, end = cleaned.get(f"window_{i}_start"), cleaned.get(f"window_{i}_end")
            if bool(start) != bool(end):
                self.add_error(f"window_{i}_end", _("Give both the first and the last day of the window."))
            elif start and end and (end - start).days < 14:
                self.add_error(
                    f"window_{i}_end",
                    _("A placement window lasts three weeks: at least 15 days from start to end."),
                )
            elif start and closes and start <= closes:
                self.add_error(f"window_{i}_start", _("The placement starts after applications close."))
        return cleaned

    def course_due_dates(self) -> dict:
        return {course: self.cleaned_data[course_due_field(course)] for course in self.courses}

    def windows(self) -> list:
        return [
            (self.cleaned_data[f"window_{i}_start"], self.cleaned_data[f"window_{i}_end"])
            for i in range(1, self.WINDOWS + 1)
            if self.cleaned_data.get(f"window_{i}_start")
        ]

    def model_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
