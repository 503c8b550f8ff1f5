"""The student's side: my consent to be recommended to Xiaomi, my recommendation (its status,
timeline, interview and offer), and who at Xiaomi viewed my data."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role

from .. import services
from ..forms.student import ConsentGiveForm, OfferAnswerForm
from ..models import Recommendation
from ..reminders.ics import interview_calendar
from ..reminders.notices import interview_sequence
from ..selectors import student as selectors

PAGE_SIZE = 20


@role_required(Role.STUDENT)
def my_consent(request):
    action = request.POST.get("action", "") if request.method == "POST" else None
    form = ConsentGiveForm(request.POST if action is not None and action != "withdraw" else None)
    if action is not None:
        if action == "withdraw":
            if services.consent_withdraw(student=request.user) is not None:
                messages.success(
                    request,
                    _("Your consent is withdrawn. From now on, Xiaomi no longer sees your recommendation."),
                )
            return redirect("recommendations:my_consent")
        if action == "give" and form.is_valid():
            services.consent_give(student=request.user)
            messages.success(request, _("Thank you: your consent is recorded."))
            return redirect("recommendations:my_consent")
        if action != "give":
            form.add_error(None, _("Choose to give or to withdraw your consent."))
    history = Paginator(selectors.consent_history(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "recommendations/student/my_consent.html",
        {
            "form": form,
            "consent": selectors.current_consent(request.user),
            "page": history,
            "history": list(history),
            "notice_version": settings.PRIVACY_NOTICE_VERSION,
        },
        status=400 if form.errors else 200,
    )


@role_required(Role.STUDENT)
def my_recommendation(request):
    return render(
        request,
        "recommendations/student/my_recommendation.html",
        {
            "recommendations": selectors.student_recommendations(request.user),
            "consent": selectors.current_consent(request.user),
        },
    )


@require_POST
@role_required(Role.STUDENT)
def answer_offer(request, pk):
    form = OfferAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Your answer could not be read. Choose to accept or to decline the offer."))
        return redirect("recommendations:my_recommendation")
    try:
        recommendation = services.recommendation_answer_offer(
            student=request.user,
            recommendation_id=pk,
            version=form.cleaned_data["version"],
            accept=form.accepts,
        )
    except Recommendation.DoesNotExist as error:
        raise Http404 from error
    except PermissionError as error:
        raise PermissionDenied from error
    except services.RecommendationConflict:
        messages.error(
            request,
            _(
                "Your recommendation changed since you opened this page. Nothing was saved: "
                "read its status again and answer if the offer still stands."
            ),
        )
    except services.RecommendationError as error:
        messages.error(request, str(error))
    else:
        if recommendation.status == Recommendation.Status.HIRED:
            messages.success(request, _("You accepted the offer. Congratulations! Xiaomi's HR are told."))
        else:
            messages.success(request, _("You declined the offer. Xiaomi's HR are told."))
    return redirect("recommendations:my_recommendation")


@role_required(Role.STUDENT)
def my_interview_ics(request, pk):
    recommendation = (
        Recommendation.objects.visible_to(request.user)
        .select_related("student", "interviewer", "cohort__hiring")
        .filter(pk=pk, status=Recommendation.Status.INTERVIEW)
        .first()
    )
    if recommendation is None:
        raise Http404
    event = (
        recommendation.events.filter(to_status=Recommendation.Status.INTERVIEW).select_related("actor").last()
    )
    content = interview_calendar(
        recommendation=recommendation,
        at=recommendation.interview_at,
        place=recommendation.interview_place,
        interviewer=recommendation.interviewer,
        organizer=event.actor if event else None,
        sequence=interview_sequence(event) if event else 0,
        method="PUBLISH",
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="xiaomi-interview.ics"'
    return response


@role_required(Role.STUDENT)
def my_data_views(request):
    page = Paginator(selectors.student_data_views(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "recommendations/student/my_data_views.html", {"page": page, "views": list(page)})


urlpatterns = [
    path("me/recommendation/", my_recommendation, name="my_recommendation"),
    path("me/recommendation/<int:pk>/answer/", answer_offer, name="answer_offer"),
    path("me/recommendation/<int:pk>/interview.ics", my_interview_ics, name="my_interview_ics"),
    path("me/hiring-consent/", my_consent, name="my_consent"),
    path("me/data-views/", my_data_views, name="my_data_views"),
]
