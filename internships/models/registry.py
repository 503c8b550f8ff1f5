"""The registry of Xiaomi training stores, their certified mentors and the seats per window."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sztu_xiaomi.models import Bilingual, TimeStampedModel
from sztu_xiaomi.validators import validate_phone

from .cohorts import PlacementWindow


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


class Store(Bilingual, TimeStampedModel):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    district = models.CharField(_("district"), max_length=20, choices=District.choices)
    address_zh = models.CharField(_("address (Chinese)"), max_length=300)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
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

    @property
    def map_url(self) -> str:
        """Amap (高德地图) search for the store's Chinese address: reachable in mainland China."""
        from urllib.parse import quote

        return f"https://uri.amap.com/search?keyword={quote(self.address_zh)}&city=shenzhen"


MENTOR_CAPACITY_MIN, MENTOR_CAPACITY_MAX = 1, 10
MENTOR_CAPACITY_MESSAGE = _("A mentor takes 1 to 10 interns at once.")


# How long before a mentor's certification lapses it is flagged: the mentor's reminder, the
# coordinator's home and digest. The one horizon for "about to expire".
CERTIFICATION_WARNING_DAYS = 30


class MentorQuerySet(models.QuerySet):
    def certification_expiring(self):
        """Certifications expired already or lapsing within CERTIFICATION_WARNING_DAYS, soonest first."""
        horizon = timezone.localdate() + timedelta(days=CERTIFICATION_WARNING_DAYS)
        return self.filter(certification_expires_on__lte=horizon).order_by("certification_expires_on")

    def certified_for(self, window):
        """Mentors who may take interns in `window` — the one place this rule is written: an active
        account, a certification valid from the window's first day to its last, at an active
        training store."""
        return self.filter(
            user__is_active=True,
            certified_on__lte=window.starts_on,
            certification_expires_on__gte=window.ends_on,
            store__is_active=True,
            store__is_training_store=True,
        )


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
    capacity = models.PositiveSmallIntegerField(
        _("interns at once"),
        default=2,
        # The same range as the check constraint below, said in words next to the field.
        validators=[
            MinValueValidator(MENTOR_CAPACITY_MIN, message=MENTOR_CAPACITY_MESSAGE),
            MaxValueValidator(MENTOR_CAPACITY_MAX, message=MENTOR_CAPACITY_MESSAGE),
        ],
    )

    objects = MentorQuerySet.as_manager()

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
                condition=models.Q(capacity__gte=MENTOR_CAPACITY_MIN, capacity__lte=MENTOR_CAPACITY_MAX),
                name="internships_mentor_capacity_range",
            ),
        ]

    def __str__(self):
        return f"{self.user.full_name} · {self.store}"

    @property
    def is_certified(self) -> bool:
        return self.certification_expires_on >= timezone.localdate()


class StoreSeats(TimeStampedModel):
    """How many of a cohort's students a store takes in one placement window."""

    window = models.ForeignKey(PlacementWindow, on_delete=models.CASCADE, related_name="seats")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="seats")
    seats = models.PositiveSmallIntegerField(_("seats"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["window", "store"], name="internships_seats_once"),
            models.CheckConstraint(condition=Q(seats__lte=50), name="internships_seats_range"),
        ]

    def __str__(self):
        return f"{self.store} · {self.window}: {self.seats}"
