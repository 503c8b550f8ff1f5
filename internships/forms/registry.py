"""Forms of the registry: training stores and their certified mentors."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from sztu_xiaomi.widgets import IsoDateInput

from ..models import Mentor, Store


class StoreForm(forms.ModelForm):
    class Meta:
        model = Store
        fields = [
            "code", "name_zh", "name_en", "district", "address_zh", "address_en",
            "phone", "opening_hours", "is_active", "is_training_store",
        ]  # fmt: skip

    def clean_phone(self):
        # Numbers are often written in groups ("0755 8600 1234"); stored without the spaces.
        return "".join(self.cleaned_data["phone"].split())


class MentorForm(forms.ModelForm):
    class Meta:
        model = Mentor
        fields = ["user", "store", "certified_on", "certification_expires_on", "capacity"]
        widgets = {
            "certified_on": IsoDateInput(),
            "certification_expires_on": IsoDateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = User.objects.filter(role=Role.MENTOR).filter(
            Q(mentor_profile__isnull=True) | Q(pk=self.instance.user_id or 0)
        )
        self.fields["user"].queryset = users.order_by("full_name")
        self.fields["user"].help_text = _("People invited with the mentor role who are not yet registered.")
        self.fields["store"].queryset = Store.objects.filter(is_active=True).order_by("district", "code")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("certified_on"), cleaned.get("certification_expires_on")
        if start and end and end <= start:
            self.add_error("certification_expires_on", _("The certification must expire after it was given."))
        return cleaned


SEATS_MAX = 50  # the same bound as the check constraint internships_seats_range


class SeatsGridForm(forms.Form):
    """One whole number from 0 to 50 per store and placement window (fields `seats-<window>-<store>`)."""

    def __init__(self, *args, windows, stores, saved, **kwargs):
        super().__init__(*args, **kwargs)
        self.windows, self.stores = windows, stores
        for store in stores:
            message = _("%(store)s: seats must be a whole number from 0 to 50.") % {"store": store.name}
            for window in windows:
                self.fields[self.name_of(window, store)] = forms.IntegerField(
                    min_value=0,
                    max_value=SEATS_MAX,
                    required=False,
                    initial=saved.get((window.pk, store.pk), 0),
                    error_messages={"invalid": message, "min_value": message, "max_value": message},
                    widget=forms.NumberInput(
                        attrs={
                            "class": "form-control form-control-sm mx-auto seat-input",
                            "aria-label": _("Seats at %(store)s, %(window)s")
                            % {"store": store.name, "window": window},
                        }
                    ),
                )

    @staticmethod
    def name_of(window, store) -> str:
        return f"seats-{window.pk}-{store.pk}"

    def rows(self) -> list:
        """(store, [bound field per window]) for the table."""
        return [(store, [self[self.name_of(w, store)] for w in self.windows]) for store in self.stores]

    def totals(self) -> list[int]:
        """Seats per window: the saved values, or the valid ones just typed."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        totals = []
        for window in self.windows:
            total = 0
            for store in self.stores:
                name = self.name_of(window, store)
                value = data.get(name) if self.is_bound else self.fields[name].initial
                total += value or 0
            totals.append(total)
        return totals

    def seats(self) -> dict:
        """{window: {store: seats}} once valid; an empty cell is 0."""
        return {
            window: {store: self.cleaned_data[self.name_of(window, store)] or 0 for store in self.stores}
            for window in self.windows
        }

    def error_list(self) -> list[str]:
        """Each bad cell's message once (they name the store), for the top of the table."""
        return list(dict.fromkeys(str(e) for errors in self.errors.values() for e in errors))
