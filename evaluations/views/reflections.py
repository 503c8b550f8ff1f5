"""Weekly reflections: the student writes one per week (phone first), the mentor replies."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from accounts.access import role_required
from accounts.models import Role
from internships.models import Placement

from .. import selectors, services
from ..forms.reflections import ReflectionForm, ReplyForm
from ..models import Reflection


@role_required(Role.STUDENT)
def my_reflections(request):
    return render(request, "evaluations/reflection_list.html", selectors.student_reflections(request.user))


@role_required(Role.STUDENT)
def reflection_write(request, week):
    page = selectors.student_reflection_week(request.user, week)
    if page is None:
        raise Http404
    reflection = page["reflection"]
    locked = reflection is not None and bool(reflection.reply)
    initial = (
        {"learned": reflection.learned, "difficult": reflection.difficult, "goal": reflection.goal}
        if reflection
        else None
    )
    form = ReflectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.reflection_submit(
                placement=page["placement"], week=week, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)  # keyed by answer: shown next to it
        else:
            messages.success(request, _("Your reflection on week %(week)s is saved.") % {"week": week})
            return redirect("evaluations:my_reflections")
    return render(
        request,
        "evaluations/reflection_write.html",
        {**page, "form": form, "locked": locked},
        status=400 if form.errors else 200,
    )


@role_required(Role.MENTOR)
def mentor_reflections(request):
    page = Paginator(selectors.reflections_for_mentor(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request, "evaluations/reflection_mentor_list.html", {"page": page, "reflections": list(page)}
    )


@role_required(Role.MENTOR)
def reflection_reply(request, pk):
    reflection = get_object_or_404(
        Reflection.objects.visible_to(request.user)
        .exclude(placement__status=Placement.Status.WITHDRAWN)
        .select_related("placement__student", "placement__mentor", "placement__window"),
        pk=pk,
    )
    form = ReplyForm(request.POST or None, initial={"reply": reflection.reply})
    if request.method == "POST" and form.is_valid():
        try:
            services.reflection_reply(reflection=reflection, text=form.cleaned_data["reply"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your reply to %(name)s is saved.") % {"name": reflection.placement.student.full_name},
            )
            return redirect("evaluations:mentor_reflections")
    return render(
        request,
        "evaluations/reflection_reply.html",
        {"reflection": reflection, "form": form},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("my/reflections/", my_reflections, name="my_reflections"),
    path("my/reflections/<int:week>/", reflection_write, name="reflection_write"),
    path("mentor/reflections/", mentor_reflections, name="mentor_reflections"),
    path("mentor/reflections/<int:pk>/reply/", reflection_reply, name="reflection_reply"),
]
