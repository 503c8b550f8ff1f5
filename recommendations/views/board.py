"""Pages of Xiaomi HR's side: the board, the table and its export, the candidate page with its CV,
and the moves through the pipeline (the interview has its own form)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import Role
from internships.models import Store

from .. import selectors, services
from ..forms.board import InterviewForm, MoveForm, TableFilterForm
from ..models import DataAccess, Recommendation, RecommendationStatus

S = RecommendationStatus
ROLES = (Role.HR, Role.STAFF, Role.ADMIN)


@role_required(*ROLES)
def board(request):
    open_columns, final_columns = selectors.board_columns(request.user, timezone.localdate())
    return render(
        request,
        "recommendations/board/board.html",
        {
            "open_columns": open_columns,
            "final_columns": final_columns,
            "per_column": selectors.BOARD_CARDS_PER_COLUMN,
        },
    )


def _table_rows(request):
    filters = TableFilterForm(request.GET or None)
    rows = selectors.recommendations_table(request.user, today=timezone.localdate(), **filters.criteria())
    return filters, rows


@role_required(*ROLES)
def table(request):
    filters, rows = _table_rows(request)
    page = Paginator(rows, selectors.TABLE_PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for rec in page:
        rec.days_waiting = (today - timezone.localdate(rec.status_changed_at)).days
        rec.is_overdue = rec.status == S.RECEIVED and rec.respond_by < today
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "recommendations/board/table.html",
        {"filters": filters, "page": page, "querystring": querystring.urlencode()},
    )


@role_required(*ROLES)
def board_export(request):
    _filters, rows = _table_rows(request)
    rows = list(rows)
    services.access_log_many(viewer=request.user, recommendations=rows, what=DataAccess.What.EXPORT)
    response = HttpResponse(
        selectors.board_workbook(rows, today=timezone.localdate()),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="recommended-graduates-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*ROLES)
def candidate(request, pk):
    page = selectors.candidate_page(request.user, pk, timezone.localdate())
    if page is None:
        raise Http404
    services.access_log(viewer=request.user, recommendation=page.rec, what=DataAccess.What.CANDIDATE)
    return render(
        request,
        "recommendations/board/candidate.html",
        {"page": page, "rec": page.rec, "move_form_note_max": 2000},
    )


@role_required(*ROLES)
def cv(request, pk):
    rec = selectors.recommendation_for(request.user, pk)
    if rec is None:
        raise Http404
    application = rec.result.placement.application
    if not application.cv:
        raise Http404
    services.access_log(viewer=request.user, recommendation=rec, what=DataAccess.What.CV)
    filename = f"CV-{rec.student.full_name}.pdf"
    response = FileResponse(application.cv.open("rb"), content_type="application/pdf", filename=filename)
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline")
    response["Cache-Control"] = "private, no-store"
    return response


def _move(request, rec, *, to_status, version, note="", interview=None) -> bool:
    """Call the service; say what happened. True when the move was saved."""
    try:
        services.recommendation_move(
            by=request.user,
            recommendation_id=rec.pk,
            to_status=to_status,
            version=version,
            note=note,
            interview=interview,
        )
    except services.RecommendationError as error:  # a conflict too: "changed by someone else"
        messages.error(request, str(error))
        return False
    except PermissionError as error:
        raise PermissionDenied from error
    except Recommendation.DoesNotExist as error:
        raise Http404 from error
    messages.success(
        request,
        _("%(name)s is now “%(status)s”.") % {"name": rec.student.full_name, "status": S(to_status).label},
    )
    return True


@require_POST
@role_required(*ROLES)
def move(request, pk):
    rec = get_object_or_404(Recommendation.objects.visible_to(request.user).select_related("student"), pk=pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This change could not be read. Reload the page and try again."))
        return redirect("recommendations:candidate", pk=rec.pk)
    data = form.cleaned_data
    if data["to_status"] == S.INTERVIEW:
        # An interview needs its date, place and interviewer: its own form.
        return redirect("recommendations:interview", pk=rec.pk)
    try:
        _move(request, rec, to_status=data["to_status"], version=data["version"], note=data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("recommendations:candidate", pk=rec.pk)


@role_required(Role.HR)
def interview(request, pk):
    rec = get_object_or_404(
        Recommendation.objects.visible_to(request.user).select_related("student", "cohort", "interviewer"),
        pk=pk,
    )
    # A POST goes to the service, which says first when the page was stale.
    if request.method != "POST" and S.INTERVIEW not in rec.next_statuses:
        messages.error(
            request,
            _("A recommendation that is “%(from)s” cannot become “%(to)s”.")
            % {"from": rec.get_status_display(), "to": S.INTERVIEW.label},
        )
        return redirect("recommendations:candidate", pk=rec.pk)
    initial = {"version": rec.version}
    if rec.status == S.INTERVIEW:  # rescheduling: start from the interview as it stands
        initial.update(
            at=timezone.localtime(rec.interview_at).replace(second=0, microsecond=0),
            place=rec.interview_place,
            interviewer=rec.interviewer_id,
        )
    form = InterviewForm(request.POST or None, initial=initial, interviewers=selectors.interviewers())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _move(
                request,
                rec,
                to_status=S.INTERVIEW,
                version=data["version"],
                note=data["note"],
                interview=services.Interview(
                    at=data["at"], place=data["place"], interviewer=data["interviewer"]
                ),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.message_dict.items():
                    form.add_error("at" if name == "interview_at" else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            # Saved, or refused as stale or invalid (the message says which): back to the page.
            return redirect("recommendations:candidate", pk=rec.pk)
    places = Store.objects.filter(is_active=True).order_by("code").values_list("name_zh", flat=True)[:500]
    return render(
        request,
        "recommendations/board/interview.html",
        {"rec": rec, "form": form, "places": list(places)},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("recommendations/board/", board, name="board"),
    path("recommendations/table/", table, name="table"),
    path("recommendations/table/export/", board_export, name="board_export"),
    path("recommendations/<int:pk>/", candidate, name="candidate"),
    path("recommendations/<int:pk>/cv/", cv, name="cv"),
    path("recommendations/<int:pk>/move/", move, name="move"),
    path("recommendations/<int:pk>/interview/", interview, name="interview"),
]
