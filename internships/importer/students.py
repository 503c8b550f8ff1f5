"""The student list: its columns, the template, and parsing, validating and applying a file."""

import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from openpyxl import Workbook

from accounts.models import Role, User, mobile_validator
from accounts.services import invitation_create
from sztu_xiaomi.spreadsheets import spreadsheet_row

from ..forms import student_number_validator
from ..models import StudentProfile
from .files import ImportFileError, read_rows

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
# How the report names a column, in the reader's language. The accepted titles above stay fixed
# whatever the translation; a test checks that each Chinese label is also an accepted title.
COLUMN_LABELS = {
    "student_number": pgettext_lazy("student import column", "Student number"),
    "full_name": pgettext_lazy("student import column", "Full name"),
    "email": pgettext_lazy("student import column", "E-mail"),
    "major": pgettext_lazy("student import column", "Major"),
    "class_name": pgettext_lazy("student import column", "Class"),
    "graduation_year": pgettext_lazy("student import column", "Graduation year"),
    "phone": pgettext_lazy("student import column", "Mobile phone"),
    "english_name": pgettext_lazy("student import column", "English name"),
    "": pgettext_lazy("student import column", "(whole row)"),
}
# The database's limits, checked here so that a long cell is a row error and not a failed write.
MAX_LENGTHS = {
    "full_name": User._meta.get_field("full_name").max_length,
    "english_name": User._meta.get_field("english_name").max_length,
    "email": User._meta.get_field("email").max_length,
    "major": StudentProfile._meta.get_field("major").max_length,
    "class_name": StudentProfile._meta.get_field("class_name").max_length,
}
MAX_ROWS = 20_000


@dataclass
class RowError:
    row: int  # the row number as the spreadsheet shows it (header = 1)
    key: str  # the column's key; "" for the whole row
    message: str

    @property
    def column(self) -> str:
        return str(COLUMN_LABELS[self.key])


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
    sheet.append(spreadsheet_row(sheet, [f"{zh} / {en}" for _key, en, zh, _req in COLUMNS]))
    example = [
        "2023000123",
        "王小明",
        "xiaoming@qq.com",
        "市场营销",
        "营销2301",
        2027,
        "13800138000",
        "Xiaoming Wang",
    ]
    sheet.append(spreadsheet_row(sheet, example))
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


def _blank(row) -> bool:
    return not any(str(cell if cell is not None else "").strip() for cell in row)


def parse(upload) -> ImportReport:
    """Read and validate every row; nothing is written."""
    rows = read_rows(upload)
    report = ImportReport()
    start = next((index for index, row in enumerate(rows) if not _blank(row)), None)
    if start is None:
        raise ImportFileError(_("The file is empty."))
    keys = [_header_key(title) for title in rows[start]]
    untitled = [index for index, title in enumerate(rows[start]) if _blank([title])]
    missing = [key for key, _en, _zh, required in COLUMNS if required and key not in keys]
    if missing:
        raise ImportFileError(
            _("The first row must hold the column titles; missing: %(columns)s. Start from the template.")
            % {"columns": ", ".join(str(COLUMN_LABELS[key]) for key in missing)}
        )
    twice = next((key for key in keys if key and keys.count(key) > 1), None)
    if twice:
        raise ImportFileError(
            _("The column “%(column)s” appears more than once. Keep one and upload the file again.")
            % {"column": COLUMN_LABELS[twice]}
        )
    body = [(index, row) for index, row in enumerate(rows[start + 1 :], start=start + 2) if not _blank(row)]
    if not body:
        raise ImportFileError(_("The file has the column titles but no students."))
    if len(body) > MAX_ROWS:
        raise ImportFileError(_("At most %(n)s students per file.") % {"n": MAX_ROWS})
    for index, row in body:
        values = {
            key: str(cell).strip() if cell is not None else ""
            for key, cell in zip(keys, row, strict=False)
            if key
        }
        values["_row"] = index
        # A cell under no title at all (past the last title, or under an empty one) was not
        # meant for this layout: often a comma inside an unquoted CSV value.
        if not _blank(row[len(keys) :]) or not _blank([row[i] for i in untitled if i < len(row)]):
            report.errors.append(RowError(index, "", _("more cells than the first row has titles")))
        report.rows.append(values)
    _validate(report)
    return report


def _validate(report: ImportReport) -> None:
    errors = report.errors
    seen_numbers: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for values in report.rows:
        row = values["_row"]
        for key, _en, _zh, required in COLUMNS:
            if required and not values.get(key):
                errors.append(RowError(row, key, _("missing")))
        for key, limit in MAX_LENGTHS.items():
            if len(values.get(key, "")) > limit:
                errors.append(RowError(row, key, _("at most %(n)s characters") % {"n": limit}))
        number = values.get("student_number", "").upper()
        values["student_number"] = number
        if number:
            try:
                student_number_validator(number)
            except ValidationError as error:
                errors.append(RowError(row, "student_number", error.messages[0]))
            if number in seen_numbers:
                errors.append(
                    RowError(
                        row,
                        "student_number",
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
                errors.append(RowError(row, "email", _("not a valid e-mail address")))
            if email in seen_emails:
                errors.append(
                    RowError(
                        row, "email", _("also in row %(row)s of this file") % {"row": seen_emails[email]}
                    )
                )
            seen_emails.setdefault(email, row)
        year = values.get("graduation_year", "")
        if year:
            try:
                number = float(year)
            except ValueError:
                number = 0.0
            if number.is_integer() and 2020 <= number <= 2040:
                values["graduation_year"] = int(number)
            else:
                errors.append(RowError(row, "graduation_year", _("a year between 2020 and 2040")))
        phone = values.get("phone", "")
        if phone:
            phone = phone.replace(" ", "").replace("-", "").removesuffix(".0")
            values["phone"] = phone
            try:
                mobile_validator(phone)
            except ValidationError as error:
                errors.append(RowError(row, "phone", error.messages[0]))
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
                    "student_number",
                    _("already registered for %(email)s") % {"email": by_number[number]},
                )
            )
        user = users.get(email)
        if user is None:
            continue
        if user.role != Role.STUDENT:
            report.errors.append(RowError(row, "email", _("belongs to an account that is not a student's")))
            continue
        profile = getattr(user, "student_profile", None)
        if profile is not None and profile.student_number != number:
            report.errors.append(
                RowError(
                    row,
                    "email",
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
