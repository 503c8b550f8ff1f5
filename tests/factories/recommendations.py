from datetime import timedelta

import factory
from django.conf import settings
from django.utils import timezone

from evaluations.models import Band
from recommendations.models import HiringConsent, Recommendation, RecommendationEvent

from .accounts import StaffFactory, StudentFactory
from .evaluations import ProgrammeResultFactory


class GraduateResultFactory(ProgrammeResultFactory):
    """A programme result that passed (the band a candidate needs), with its components."""

    course_score = 82
    evaluation_score = 78
    attendance_rate = 96
    total = 80
    computed_band = Band.MERIT
    band = Band.MERIT
    completed_on = factory.LazyFunction(timezone.localdate)


class HiringConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HiringConsent

    student = factory.SubFactory(StudentFactory)
    notice_version = settings.PRIVACY_NOTICE_VERSION
    given_at = factory.LazyFunction(timezone.now)


class RecommendationFactory(factory.django.DjangoModelFactory):
    """A recommendation as `recommendations_send` leaves it: received, consent open."""

    class Meta:
        model = Recommendation
        skip_postgeneration_save = True

    result = factory.SubFactory(GraduateResultFactory)
    student = factory.LazyAttribute(lambda o: o.result.placement.student)
    cohort = factory.LazyAttribute(lambda o: o.result.placement.cohort)
    consent = factory.LazyAttribute(
        lambda o: (
            HiringConsent.objects.active().filter(student=o.student).first()
            or HiringConsentFactory(student=o.student)
        )
    )
    priority = Recommendation.Priority.STANDARD
    justification = "成绩优秀，导师推荐录用。"
    recommended_by = factory.SubFactory(StaffFactory)
    sent_at = factory.LazyFunction(timezone.now)
    respond_by = factory.LazyAttribute(lambda o: timezone.localdate(o.sent_at) + timedelta(days=7))
    status = Recommendation.Status.RECEIVED
    status_changed_at = factory.LazyAttribute(lambda o: o.sent_at)

    @factory.post_generation
    def first_event(recommendation, create, extracted, **kwargs):
        if create:
            RecommendationEvent.objects.create(
                recommendation=recommendation,
                actor=recommendation.recommended_by,
                to_status=Recommendation.Status.RECEIVED,
                at=recommendation.sent_at,
            )
