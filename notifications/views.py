"""The notification centre (everyone), preferences, and staff's outbox."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role

from . import kinds, selectors, services
from .forms import OutboxFilterForm, PreferencesForm
from .models import Reminder

EVERYONE = (Role.STUDENT, Role.STAFF, Role.MENTOR, Role.HR, Role.ADMIN)


@role_required(*EVERYONE)
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@require_POST
@role_required(*EVERYONE)
def notification_open(request, pk):
    notification = get_object_or_404(selectors.notifications_for(request.user), pk=pk)
    services.notification_mark_read(notification=notification)
    target = notification.link or "notifications:list"
    if notification.link and not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "notifications:list"
    return redirect(target)


@require_POST
@role_required(*EVERYONE)
def notifications_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@role_required(*EVERYONE)
def preferences(request):
    data = request.POST if request.method == "POST" else None  # all boxes unticked is an empty POST
    form = PreferencesForm(data, preferences=selectors.preferences_for(request.user))
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, enabled=form.enabled())
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@role_required(Role.STAFF, Role.ADMIN)
def outbox(request):
    kind_choices = [(kind.key, kind.label) for kind in kinds.all_kinds()]
    form = OutboxFilterForm(request.GET or None, kind_choices=kind_choices)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.outbox(
        status=filters.get("status", ""), kind=filters.get("kind", ""), query=filters.get("q", "")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    labels = dict(kind_choices)
    for reminder in page.object_list:
        reminder.kind_label = labels.get(reminder.kind, reminder.kind)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "notifications/outbox.html", {"form": form, "page": page, "querystring": query.urlencode()}
    )


@require_POST
@role_required(Role.STAFF, Role.ADMIN)
def outbox_retry(request, pk):
    reminder = get_object_or_404(Reminder, pk=pk)
    if services.reminder_retry(reminder=reminder):
        messages.success(request, _("The reminder is queued again and goes out within a few minutes."))
    else:
        messages.error(request, _("Only failed reminders can be retried."))
    return redirect("notifications:outbox")
