"""Forms of the notification centre."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Reminder


class PreferencesForm(forms.Form):
    """One checkbox per kind; essential kinds are shown ticked and cannot be changed."""

    def __init__(self, *args, preferences: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        for row in preferences:
            kind = row["kind"]
            self.fields[kind.key] = forms.BooleanField(
                label=kind.label,
                required=False,
                initial=row["enabled"],
                disabled=row["locked"],
                help_text=_("Always sent: it concerns a decision or your placement.")
                if row["locked"]
                else "",
            )

    def enabled(self) -> dict[str, bool]:
        return {key: value for key, value in self.cleaned_data.items() if not self.fields[key].disabled}


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *list(Reminder.Status.choices)]
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    q = forms.CharField(label=_("Recipient"), required=False, max_length=100)

    def __init__(self, *args, kind_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *kind_choices]
