"""The registry: the Xiaomi coordinator's stores and mentors, and the seats per store per window."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import role_required
from accounts.models import Role

from .. import selectors, services
from ..forms import MentorForm, SeatsGridForm, StoreForm
from ..models import Cohort, Mentor, Store


@role_required(Role.HR, Role.ADMIN)
def store_list(request):
    stores = Store.objects.annotate(mentor_count=Count("mentors")).order_by("district", "code")
    return render(request, "internships/store_list.html", {"stores": stores})


@role_required(Role.HR, Role.ADMIN)
def store_edit(request, pk=None):
    store = get_object_or_404(Store, pk=pk) if pk else None
    form = StoreForm(request.POST or None, instance=store)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Store “%(name)s” is saved.") % {"name": saved.name})
        return redirect("internships:store_list")
    return render(
        request,
        "internships/registry_form.html",
        {"form": form, "title": store.name if store else _("New store"), "back": "internships:store_list"},
        status=400 if form.errors else 200,
    )


@role_required(Role.HR, Role.ADMIN)
def mentor_list(request):
    mentors = Mentor.objects.select_related("user", "store").order_by(
        "store__district", "store__code", "user__full_name"
    )
    return render(
        request, "internships/mentor_list.html", {"mentors": mentors, "today": timezone.localdate()}
    )


@role_required(Role.HR, Role.ADMIN)
def mentor_edit(request, pk=None):
    mentor = get_object_or_404(Mentor, pk=pk) if pk else None
    form = MentorForm(request.POST or None, instance=mentor)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("Mentor %(name)s is saved.") % {"name": saved.user.full_name})
        return redirect("internships:mentor_list")
    return render(
        request,
        "internships/registry_form.html",
        {
            "form": form,
            "title": mentor.user.full_name if mentor else _("Register a mentor"),
            "back": "internships:mentor_list",
        },
        status=400 if form.errors else 200,
    )


# --- Seats per store per window ------------------------------------------------------------------


@role_required(Role.STAFF, Role.HR, Role.ADMIN)
def seats_grid(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    grid = selectors.seats_grid(cohort)
    form = SeatsGridForm(request.POST or None, **grid)
    if request.method == "POST" and form.is_valid():
        services.seats_grid_save(seats=form.seats())
        messages.success(request, _("Seats are saved."))
        return redirect("internships:seats_grid", pk=cohort.pk)
    return render(
        request,
        "internships/seats_grid.html",
        {"cohort": cohort, "form": form, "windows": grid["windows"]},
        status=400 if form.errors else 200,
    )
