"""Forms of the programme pages: they validate and clean input only."""

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import mobile_validator
from courses.selectors import programme_courses
from sztu_xiaomi.widgets import IsoDateInput

from .models import Application, Cohort, District, PlacementWindow, Store
from .services import course_due_field

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
        from .models import StudentProfile

        number = self.cleaned_data["student_number"].strip().upper()
        if StudentProfile.objects.filter(student_number=number).exclude(user=self.user).exists():
            raise forms.ValidationError(_("This student number belongs to another account."))
        return number


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
    placement_window = forms.ModelChoiceField(
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
        self.fields["placement_window"].queryset = cohort.placement_windows.order_by("starts_on")
        self.fields["cv"].label = _("CV (PDF, at most %(mb)s MB)") % {
            "mb": settings.CV_MAX_BYTES // (1024 * 1024)
        }
        self.fields["placement_window"].empty_label = _("— choose —")

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
            "placement_window": application.placement_window_id,
            "confirms_availability": application.confirms_availability,
        }
        for pref in application.preferences.all():
            initial[f"preference_{pref.rank}"] = (
                f"store:{pref.store_id}" if pref.store_id else f"district:{pref.district}"
            )
        return initial


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


class StudentImportForm(forms.Form):
    file = forms.FileField(
        label=_("Student list (XLSX or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )


# --- Stores, mentors, seats and placements -------------------------------------------------------


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
        from .models import Mentor

        model = Mentor
        fields = ["user", "store", "certified_on", "certification_expires_on", "capacity"]
        widgets = {
            "certified_on": IsoDateInput(),
            "certification_expires_on": IsoDateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.models import Role, User

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


class ExceptionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the exception"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


def _store_and_mentor(mentor) -> str:
    return f"{mentor.store.name} · {mentor.user.full_name}"


class MoveForm(forms.Form):
    mentor = forms.ModelChoiceField(label=_("Store and mentor"), queryset=None)
    reason = forms.CharField(label=_("Reason (required once published)"), required=False, max_length=500)

    def __init__(self, *args, window, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Mentor

        self.fields["mentor"].queryset = (
            Mentor.objects.certified_for(window)
            .select_related("store", "user")
            .order_by("store__district", "store__code", "user__full_name")
        )
        self.fields["mentor"].label_from_instance = _store_and_mentor


class PlaceForm(forms.Form):
    """Place one student by hand: the window (when the cohort has several), store and mentor, why."""

    window = forms.ModelChoiceField(label=_("Placement window"), queryset=None, empty_label=None)
    mentor = forms.ModelChoiceField(label=_("Store and mentor"), queryset=None)
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Mentor

        windows = list(application.cohort.placement_windows.order_by("starts_on"))
        self.fields["window"].queryset = application.cohort.placement_windows.order_by("starts_on")
        self.fields["window"].initial = application.placement_window_id or (
            windows[0].pk if windows else None
        )
        if len(windows) == 1:
            self.fields["window"].widget = forms.HiddenInput()
        certified = Mentor.objects.none()
        for window in windows:
            certified = certified | Mentor.objects.certified_for(window)
        self.fields["mentor"].queryset = (
            Mentor.objects.filter(pk__in=certified.values("pk"))
            .select_related("store", "user")
            .order_by("store__district", "store__code", "user__full_name")
        )
        self.fields["mentor"].label_from_instance = _store_and_mentor


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class CheckInConfirmForm(forms.Form):
    code = forms.CharField(label=_("Code on the student's phone"), max_length=6, min_length=6)
