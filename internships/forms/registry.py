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
