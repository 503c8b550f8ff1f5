"""Forms about students: their profile, and the staff's student list import."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import mobile_validator

from ..models import StudentProfile

student_number_validator = RegexValidator(
    r"^[A-Za-z0-9]{6,20}$", _("A student number has 6 to 20 letters or digits.")
)


class StudentProfileForm(forms.Form):
    student_number = forms.CharField(
        label=_("Student number"), max_length=20, validators=[student_number_validator]
    )
    major = forms.CharField(label=_("Major"), max_length=100)
    class_name = forms.CharField(label=_("Class"), max_length=50, required=False)
    graduation_year = forms.IntegerField(label=_("Expected graduation year"), min_value=2020, max_value=2040)
    phone = forms.CharField(
        label=_("Mobile phone"), max_length=11, required=False, validators=[mobile_validator]
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_student_number(self):
        number = self.cleaned_data["student_number"].strip().upper()
        if StudentProfile.objects.filter(student_number=number).exclude(user=self.user).exists():
            raise forms.ValidationError(_("This student number belongs to another account."))
        return number


class StudentImportForm(forms.Form):
    file = forms.FileField(
        label=_("Student list (XLSX or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )
