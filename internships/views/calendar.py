"""The private iCal feed of a person's placement days, and a new address for it."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role

from .. import calendar, services
from ..models import CalendarToken


def calendar_feed(request, token):
    owner = get_object_or_404(CalendarToken.objects.select_related("user"), token=token).user
    response = HttpResponse(calendar.calendar_feed(owner), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_POST
@role_required(Role.STUDENT, Role.MENTOR)
def calendar_reset(request):
    """A new private address; the old one stops working (it was shared, or a phone was lost)."""
    services.calendar_token_reset(user=request.user)
    messages.success(
        request,
        _("The old calendar address no longer works. Add the new one below to your phone's calendar."),
    )
    return redirect("home")
