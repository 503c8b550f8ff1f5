"""Staff's files: the review queue as Excel, the student import and its template."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import role_required
from accounts.models import Role

from .. import exports, importer, selectors
from ..forms import ReviewFilterForm, StudentImportForm


@role_required(Role.STAFF, Role.ADMIN)
def review_export(request):
    filters = ReviewFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.review_queue(**{k: v for k, v in criteria.items() if v}).prefetch_related(
        "preferences__store"
    )
    response = HttpResponse(
        exports.applications_workbook(rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="applications-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response


@role_required(Role.STAFF, Role.ADMIN)
def student_import(request):
    form = StudentImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = importer.parse(form.cleaned_data["file"])
        except importer.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            if report.ok:
                importer.apply(report, by=request.user, language=request.LANGUAGE_CODE)
                messages.success(
                    request,
                    _("%(created)s students invited, %(updated)s already known and updated.")
                    % {"created": report.created, "updated": report.updated},
                )
                return redirect("internships:student_import")
    status = 400 if request.method == "POST" else 200
    return render(request, "internships/student_import.html", {"form": form, "report": report}, status=status)


@role_required(Role.STAFF, Role.ADMIN)
def student_import_template(request):
    response = HttpResponse(
        importer.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="students-template.xlsx"'
    return response
