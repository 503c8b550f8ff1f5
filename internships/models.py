"""The programme: cohorts, Xiaomi training stores and certified mentors.

Applications, placements, attendance and evaluations arrive with their issues.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sztu_xiaomi.models import Bilingual, TimeStampedModel


class District(models.TextChoices):
    FUTIAN = "futian", _("Futian")
    LUOHU = "luohu", _("Luohu")
    NANSHAN = "nanshan", _("Nanshan")
    YANTIAN = "yantian", _("Yantian")
    BAOAN = "baoan", _("Bao'an")
    LONGGANG = "longgang", _("Longgang")
    LONGHUA = "longhua", _("Longhua")
    PINGSHAN = "pingshan", _("Pingshan")
    GUANGMING = "guangming", _("Guangming")
    DAPENG = "dapeng", _("Dapeng")


class Cohort(Bilingual, TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for applications")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    applications_open_on = models.DateField(_("applications open on"))
    applications_close_on = models.DateField(_("applications close on"))
    target_size = models.PositiveIntegerField(_("target number of students"), default=30)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-applications_open_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(applications_close_on__gte=models.F("applications_open_on")),
                name="internships_cohort_window_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "open", "running", "finished"]),
                name="internships_cohort_status_valid",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.localized("name")

    @property
    def accepting_applications(self) -> bool:
        today = timezone.localdate()
        return (
            self.status == self.Status.OPEN
            and self.applications_open_on <= today <= self.applications_close_on
        )


class Store(Bilingual, TimeStampedModel):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    district = models.CharField(_("district"), max_length=20, choices=District.choices)
    address_zh = models.CharField(_("address (Chinese)"), max_length=300)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_training_store = models.BooleanField(_("approved training store"), default=False)

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        ordering = ["district", "code"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.localized("name")

    @property
    def address(self) -> str:
        return self.localized("address")


class Mentor(TimeStampedModel):
    """A certified Xiaomi store employee who mentors interns."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentor_profile",
        limit_choices_to={"role": "mentor"},
        verbose_name=_("person"),
    )
    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="mentors", verbose_name=_("store")
    )
    certified_on = models.DateField(_("certified on"))
    certification_expires_on = models.DateField(_("certification expires on"))
    capacity = models.PositiveSmallIntegerField(_("interns at once"), default=2)

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        ordering = ["store", "user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(certification_expires_on__gt=models.F("certified_on")),
                name="internships_mentor_certification_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1, capacity__lte=10),
                name="internships_mentor_capacity_range",
            ),
        ]

    def __str__(self):
        return f"{self.user.full_name} · {self.store}"

    @property
    def is_certified(self) -> bool:
        return self.certification_expires_on >= timezone.localdate()
