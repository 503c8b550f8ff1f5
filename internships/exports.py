"""Exports of the programme's data for staff (Excel workbooks), written as text-safe cells."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from sztu_xiaomi.spreadsheets import spreadsheet_row


def applications_workbook(applications) -> bytes:
    """The review queue as an .xlsx file: one row per application, in the reader's language."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("applications")
    header = [
        _("Student number"),
        _("Full name"),
        _("E-mail"),
        _("Major"),
        _("Class"),
        _("Graduation year"),
        _("Cohort"),
        _("Status"),
        _("Submitted"),
        _("Preferences"),
        _("Shares data with Xiaomi"),
        _("Note"),
    ]
    sheet.append(spreadsheet_row(sheet, header))
    for a in applications.iterator(chunk_size=500):
        profile = getattr(a.student, "student_profile", None)
        row = [
            profile.student_number if profile else "",
            a.student.full_name,
            a.student.email,
            profile.major if profile else "",
            profile.class_name if profile else "",
            profile.graduation_year if profile else "",
            a.cohort.name,
            a.get_status_display(),
            timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M") if a.submitted_at else "",
            "; ".join(str(p) for p in a.preferences.all()),
            _("yes") if a.shares_with_xiaomi else _("no"),
            a.decision_note,
        ]
        sheet.append(spreadsheet_row(sheet, row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
