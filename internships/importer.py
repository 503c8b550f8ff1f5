"""Bulk import of students from an XLSX or CSV file: validated whole, applied whole or not at all."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from accounts.models import Role, User, mobile_validator
from accounts.services import invitation_create

from .forms import student_number_validator
from .models import StudentProfile

# Column keys, in the template's order; headers accept the English or the Chinese title.
COLUMNS = [
    ("student_number", "Student number", "学号", True),
    ("full_name", "Full name", "姓名", True),
    ("email", "E-mail", "电子邮箱", True),
    ("major", "Major", "专业", True),
    ("class_name", "Class", "班级", False),
    ("graduation_year", "Graduation year", "毕业年份", True),
    ("phone", "Mobile phone", "手机号码", False),
    ("english_name", "English name", "英文名", False),
]
HEADER_KEYS = {title.lower(): key for key, en, zh, _required in COLUMNS for title in (en, zh, key)}
MAX_ROWS = 20_000


class ImportFileError(Exception):
    """The file cannot be read as a student list at all."""


@dataclass
class RowError:
    row: int  # the row number as the spreadsheet shows it (header = 1)
    column: str
    message: str


@dataclass
class ImportReport:
    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def template_workbook() -> bytes:
    """The downloadable template: bilingual headers and one example row."""
    book = Workbook()
    sheet = book.active
    sheet.title = "students"
    sheet.append([f"{zh} / {en}" for _key, en, zh, _req in COLUMNS])
    sheet.append(
        [
            "2023000123",
            "王小明",
            "xiaoming@qq.com",
            "市场营销",
            "营销2301",
            2027,
            "13800138000",
            "Xiaoming Wang",
        ]
    )
    for column in "ABCDEFGH":
        sheet.column_dimensions[column].width = 22
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _header_key(title) -> str | None:
    text = str(title or "").strip().lower()
    if " / " in text:  # the template's "学号 / Student number"
        text = text.split(" / ", 1)[1]
    return HEADER_KEYS.get(text)


def _read_rows(upload) -> list[list]:
    data = upload.read()
    if data[:2] == b"PK":  # XLSX is a zip file
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
            return [list(row) for row in sheet.iter_rows(values_only=True)]
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise ImportFileError(
                _("The Excel file could not be read: %(error)s") % {"error": error}
            ) from error
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China often saves CSV as GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("The file is neither an Excel file nor a readable CSV file."))
    return list(csv.reader(io.StringIO(text)))


def parse(upload) -> ImportReport:
    """Read and validate every row; nothing is written."""
    rows = _read_rows(upload)
    report = ImportReport()
    if not rows:
        raise ImportFileError(_("The file is empty."))
    keys = [_header_key(title) for title in rows[0]]
    missing = [en for key, en, _zh, required in COLUMNS if required and key not in keys]
    if missing:
        raise ImportFileError(
            _("The first row must hold the column titles; missing: %(columns)s. Start from the template.")
            % {"columns": ", ".join(missing)}
        )
    body = [row for row in rows[1:] if any(str(cell or "").strip() for cell in row)]
    if len(body) > MAX_ROWS:
        raise ImportFileError(_("At most %(n)s students per file.") % {"n": MAX_ROWS})
    for index, row in enumerate(rows[1:], start=2):
        if not any(str(cell or "").strip() for cell in row):
            continue
        values = {
            key: str(cell).strip() if cell is not None else ""
            for key, cell in zip(keys, row, strict=False)
            if key
        }
        values["_row"] = index
        report.rows.append(values)
    _validate(report)
    return report


def _validate(report: ImportReport) -> None:
    errors = report.errors
    seen_numbers: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for values in report.rows:
        row = values["_row"]
        for key, en, _zh, required in COLUMNS:
            if required and not values.get(key):
                errors.append(RowError(row, en, _("missing")))
        number = values.get("student_number", "").upper()
        values["student_number"] = number
        if number:
            try:
                student_number_validator(number)
            except ValidationError as error:
                errors.append(RowError(row, "Student number", error.messages[0]))
            if number in seen_numbers:
                errors.append(
                    RowError(
                        row,
                        "Student number",
                        _("also in row %(row)s of this file") % {"row": seen_numbers[number]},
                    )
                )
            seen_numbers.setdefault(number, row)
        email = values.get("email", "").lower()
        values["email"] = email
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(RowError(row, "E-mail", _("not a valid e-mail address")))
            if email in seen_emails:
                errors.append(
                    RowError(
                        row, "E-mail", _("also in row %(row)s of this file") % {"row": seen_emails[email]}
                    )
                )
            seen_emails.setdefault(email, row)
        year = values.get("graduation_year", "")
        if year:
            try:
                value = int(float(year))
                if not 2020 <= value <= 2040:
                    raise ValueError
                values["graduation_year"] = value
            except ValueError:
                errors.append(RowError(row, "Graduation year", _("a year between 2020 and 2040")))
        phone = values.get("phone", "")
        if phone:
            phone = phone.replace(" ", "").replace("-", "").removesuffix(".0")
            values["phone"] = phone
            try:
                mobile_validator(phone)
            except ValidationError as error:
                errors.append(RowError(row, "Mobile phone", error.messages[0]))
    _validate_against_database(report, seen_numbers, seen_emails)
    errors.sort(key=lambda e: e.row)


def _validate_against_database(report: ImportReport, numbers: dict, emails: dict) -> None:
    """A student number or an e-mail already in use by someone else is an error; the same
    student again (same number, same e-mail) is an update, so a file imported twice changes
    nothing."""
    by_number = {
        p.student_number: p.user.email
        for p in StudentProfile.objects.filter(student_number__in=list(numbers)).select_related("user")
    }
    users = {
        u.email: u for u in User.objects.filter(email__in=list(emails)).select_related("student_profile")
    }
    for values in report.rows:
        row, number, email = values["_row"], values.get("student_number"), values.get("email")
        if number in by_number and by_number[number] != email:
            report.errors.append(
                RowError(
                    row,
                    "Student number",
                    _("already registered for %(email)s") % {"email": by_number[number]},
                )
            )
        user = users.get(email)
        if user is None:
            continue
        if user.role != Role.STUDENT:
            report.errors.append(RowError(row, "E-mail", _("belongs to an account that is not a student's")))
            continue
        profile = getattr(user, "student_profile", None)
        if profile is not None and profile.student_number != number:
            report.errors.append(
                RowError(
                    row,
                    "E-mail",
                    _("already registered with student number %(n)s") % {"n": profile.student_number},
                )
            )


@transaction.atomic
def apply(report: ImportReport, *, by: User, language: str) -> ImportReport:
    """Write a validated report: new students get an account and an invitation; known ones are updated."""
    if not report.ok:
        raise ValueError("a report with errors cannot be applied")
    users = {u.email: u for u in User.objects.filter(email__in=[r["email"] for r in report.rows])}
    profiles = {p.user_id: p for p in StudentProfile.objects.filter(user__in=users.values())}
    for values in report.rows:
        user = users.get(values["email"])
        if user is None:
            user = invitation_create(
                email=values["email"],
                full_name=values["full_name"],
                role=Role.STUDENT,
                language=language,
                invited_by=by,
            ).user
            report.created += 1
        else:
            report.updated += 1
        fields = {
            "student_number": values["student_number"],
            "major": values["major"],
            "class_name": values.get("class_name", ""),
            "graduation_year": values["graduation_year"],
        }
        profile = profiles.get(user.pk)
        if profile is None:
            StudentProfile.objects.create(user=user, **fields)
        elif any(getattr(profile, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(profile, k, v)
            profile.save()
        changed = {
            name: values[name]
            for name in ("full_name", "english_name", "phone")
            if values.get(name) and getattr(user, name) != values[name]
        }
        if changed:
            User.objects.filter(pk=user.pk).update(**changed)
    return report
