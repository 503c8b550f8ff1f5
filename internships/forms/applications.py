"""The student's application form: wishes, placement window, CV and consents."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..models import Application, Cohort, District, PlacementWindow, Store


def preference_choices() -> list:
    stores = Store.objects.filter(is_active=True, is_training_store=True).order_by("district", "code")
    return [
        ("", _("— none —")),
        (_("Any store in a district"), [(f"district:{value}", label) for value, label in District.choices]),
        (
            _("A particular store"),
            [(f"store:{store.pk}", f"{store.name} · {store.get_district_display()}") for store in stores],
        ),
    ]


def validate_pdf(upload) -> None:
    """A CV is accepted by its content (a PDF starts with %PDF-), not by its file name."""
    if upload.size == 0:
        raise forms.ValidationError(_("The file is empty."))
    if upload.size > settings.CV_MAX_BYTES:
        raise forms.ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": settings.CV_MAX_BYTES // (1024 * 1024)}
        )
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise forms.ValidationError(_("This file is not a PDF. Save your CV as a PDF and upload it again."))


class ApplicationForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why do you want to join the programme?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=3000,
        required=False,
        help_text=_("At least 50 characters: what you hope to learn, and what you bring."),
    )
    preference_1 = forms.ChoiceField(label=_("First choice of store or district"), required=False)
    preference_2 = forms.ChoiceField(label=_("Second choice"), required=False)
    preference_3 = forms.ChoiceField(label=_("Third choice"), required=False)
    window = forms.ModelChoiceField(
        label=_("Placement window"), queryset=PlacementWindow.objects.none(), required=False
    )
    confirms_availability = forms.BooleanField(
        label=_("I am available on every working day of this three-week placement window."), required=False
    )
    cv = forms.FileField(
        label=_("CV (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    consents = forms.BooleanField(
        label=_("I have read the privacy notice and agree that SZTU processes my data for the programme."),
        required=False,
    )
    shares_with_xiaomi = forms.BooleanField(
        label=_(
            "I agree that my application, progress and results are shared with Xiaomi for placement and hiring."
        ),
        required=False,
    )

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        choices = preference_choices()
        for name in ("preference_1", "preference_2", "preference_3"):
            self.fields[name].choices = choices
        self.fields["window"].queryset = cohort.placement_windows.order_by("starts_on")
        self.fields["cv"].label = _("CV (PDF, at most %(mb)s MB)") % {
            "mb": settings.CV_MAX_BYTES // (1024 * 1024)
        }
        self.fields["window"].empty_label = _("— choose —")

    def clean_cv(self):
        upload = self.cleaned_data.get("cv")
        if upload:
            validate_pdf(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        picks = [cleaned.get(f"preference_{i}") for i in (1, 2, 3)]
        chosen = [p for p in picks if p]
        if len(chosen) != len(set(chosen)):
            self.add_error("preference_2", _("Choose each store or district only once."))
        if picks and not picks[0] and chosen:
            self.add_error("preference_1", _("Fill in your first choice before the others."))
        return cleaned

    def preferences(self) -> list[dict]:
        result = []
        for i in (1, 2, 3):
            value = self.cleaned_data.get(f"preference_{i}")
            if not value:
                continue
            kind, _sep, key = value.partition(":")
            result.append({"store_id": int(key)} if kind == "store" else {"district": key})
        return result

    @staticmethod
    def initial_for(application: Application | None) -> dict:
        if application is None:
            return {}
        initial = {
            "motivation": application.motivation,
            "window": application.window_id,
            "confirms_availability": application.confirms_availability,
        }
        for pref in application.preferences.all():
            initial[f"preference_{pref.rank}"] = (
                f"store:{pref.store_id}" if pref.store_id else f"district:{pref.district}"
            )
        return initial
