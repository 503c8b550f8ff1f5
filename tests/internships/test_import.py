"""The bulk student import: every row checked first, then all applied or nothing."""

import html
import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.models import Invitation, Role, User
from internships import importer
from internships.models import StudentProfile
from tests.factories import StaffFactory, StudentProfileFactory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["Student number", "Full name", "E-mail", "Major", "Graduation year", "Mobile phone"]
GOOD = [
    ["2023000001", "王小明", "xiaoming@qq.com", "市场营销", 2027, "13800138001"],
    ["2023000002", "李思雨", "siyu@163.com", "物流管理", 2027, ""],
    ["2023000003", "张伟", "zhangwei@qq.com", "市场营销", 2028, "138 0013 8003"],
]
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\xde"


def xlsx(rows, header=HEADER, name="students.xlsx") -> SimpleUploadedFile:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("students")
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=XLSX)


def csv_file(rows, header=HEADER, encoding="utf-8", name="students.csv") -> SimpleUploadedFile:
    lines = [",".join(str(cell) for cell in row) for row in [header, *rows]]
    return SimpleUploadedFile(name, ("\r\n".join(lines) + "\r\n").encode(encoding), content_type="text/csv")


def counts() -> tuple[int, int, int]:
    return User.objects.count(), StudentProfile.objects.count(), Invitation.objects.count()


def upload(client, file):
    return client.post(reverse("internships:student_import"), {"file": file})


def problems(response) -> list[tuple[int, str, str]]:
    """(row, column, problem) of the page's error table."""
    table = response.content.decode().split('id="errors-title"')[1]
    return [
        (int(row), html.unescape(column), html.unescape(problem))
        for row, column, problem in re.findall(
            r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", table
        )
    ]


def file_errors(response) -> list[str]:
    return [str(error) for error in response.context["form"].errors["file"]]


# --- A good file ---------------------------------------------------------------------------------


def test_a_good_file_invites_every_student(client, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)
    before = counts()

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, xlsx(GOOD))

    assert response.status_code == 302
    assert counts() == (before[0] + 3, before[1] + 3, before[2] + 3)
    for number, name, email, major, year, _phone in GOOD:
        user = User.objects.get(email=email)
        assert (user.full_name, user.role, user.is_active) == (name, Role.STUDENT, False)
        profile = user.student_profile
        assert (profile.student_number, profile.major, profile.graduation_year) == (number, major, year)
        assert Invitation.objects.filter(user=user, accepted_at__isnull=True, invited_by=staff).exists()
    assert User.objects.get(email="zhangwei@qq.com").phone == "13800138003"
    assert sorted(message.to[0] for message in mail.outbox) == sorted(row[2] for row in GOOD)
    messages = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert messages == ["3 students invited, 0 already known and updated."]


def test_importing_the_same_file_again_creates_no_duplicates(
    client, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    upload(client, xlsx(GOOD))
    before = counts()

    with django_capture_on_commit_callbacks(execute=True):
        report = importer.parse(xlsx(GOOD))
        assert report.ok
        importer.apply(report, by=staff, language="en")

    assert (report.created, report.updated) == (0, 3)
    assert counts() == before
    assert mail.outbox == []


def test_importing_again_updates_what_changed(client, staff):
    client.force_login(staff)
    upload(client, xlsx(GOOD))
    changed = [row.copy() for row in GOOD]
    changed[1][3] = "电子商务"

    response = upload(client, xlsx(changed))

    assert response.status_code == 302
    assert StudentProfile.objects.get(student_number="2023000002").major == "电子商务"
    assert StudentProfile.objects.count() == 3


def test_a_file_with_chinese_headers_is_imported(client, staff):
    client.force_login(staff)

    response = upload(client, xlsx(GOOD, header=["学号", "姓名", "电子邮箱", "专业", "毕业年份", "手机号码"]))

    assert response.status_code == 302
    assert set(StudentProfile.objects.values_list("student_number", flat=True)) == {r[0] for r in GOOD}


def test_a_file_with_the_templates_bilingual_headers_is_imported(client, staff):
    header = [f"{zh} / {en}" for _key, en, zh, _required in importer.COLUMNS]
    rows = [[*row[:4], "", row[4], row[5], ""] for row in GOOD]  # the template's column order
    client.force_login(staff)

    response = upload(client, xlsx(rows, header=header))

    assert response.status_code == 302
    assert StudentProfile.objects.count() == 3


def test_a_csv_saved_as_gbk_is_imported(client, staff):
    client.force_login(staff)

    response = upload(
        client,
        csv_file(
            GOOD, header=["学号", "姓名", "电子邮箱", "专业", "毕业年份", "手机号码"], encoding="gb18030"
        ),
    )

    assert response.status_code == 302
    assert User.objects.get(email="siyu@163.com").full_name == "李思雨"
    assert StudentProfile.objects.get(student_number="2023000001").major == "市场营销"


def test_a_utf8_csv_from_excel_is_imported(client, staff):
    client.force_login(staff)

    response = upload(client, csv_file(GOOD, encoding="utf-8-sig"))

    assert response.status_code == 302
    assert StudentProfile.objects.count() == 3


# --- Bad rows: nothing is applied ----------------------------------------------------------------


def _row(index, column, value):
    def change(rows):
        rows[index][HEADER.index(column)] = value

    return change


def _same_number_as_first(rows):
    rows[2][0] = rows[0][0]


BAD_ROWS = {
    "missing-major": (None, _row(1, "Major", ""), (3, "Major", "missing")),
    "bad-email": (None, _row(1, "E-mail", "siyu@"), (3, "E-mail", "not a valid e-mail address")),
    "number-twice-in-file": (
        None,
        _same_number_as_first,
        (4, "Student number", "also in row 2 of this file"),
    ),
    "number-of-someone-else": (
        lambda: StudentProfileFactory(student_number="2023000002", user__email="someone.else@qq.com"),
        None,
        (3, "Student number", "already registered for someone.else@qq.com"),
    ),
    "staff-email": (
        lambda: StaffFactory(email="siyu@163.com"),
        None,
        (3, "E-mail", "belongs to an account that is not a student's"),
    ),
    "graduation-1999": (
        None,
        _row(1, "Graduation year", 1999),
        (3, "Graduation year", "a year between 2020 and 2040"),
    ),
    "bad-phone": (
        None,
        _row(1, "Mobile phone", "2380013800"),
        (3, "Mobile phone", "Enter an 11-digit mainland mobile number starting with 1."),
    ),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_a_bad_row_is_reported_with_its_number_and_nothing_is_imported(
    client, staff, django_capture_on_commit_callbacks, case
):
    setup, change, expected = BAD_ROWS[case]
    if setup:
        setup()
    rows = [row.copy() for row in GOOD]
    if change:
        change(rows)
    client.force_login(staff)
    before = counts()

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, xlsx(rows))

    assert response.status_code == 400
    assert expected in problems(response)
    assert {row for row, _column, _problem in problems(response)} == {expected[0]}
    assert "Nothing was imported" in response.content.decode()
    assert counts() == before
    assert mail.outbox == []


def test_one_bad_row_among_fifty_good_ones_stops_the_whole_import(client, staff):
    rows = [[f"2023{i:06d}", f"学生{i}", f"s{i}@qq.com", "市场营销", 2027, ""] for i in range(51)]
    rows[25][2] = "not-an-address"  # row 27 of the sheet
    client.force_login(staff)
    before = counts()

    response = upload(client, xlsx(rows))

    assert response.status_code == 400
    assert problems(response) == [(27, "E-mail", "not a valid e-mail address")]
    assert counts() == before


def test_every_problem_of_the_file_is_listed_at_once(client, staff):
    rows = [row.copy() for row in GOOD]
    rows[0][2] = "bad"
    rows[2][4] = 1999
    client.force_login(staff)

    response = upload(client, xlsx(rows))

    assert [(row, column) for row, column, _ in problems(response)] == [(2, "E-mail"), (4, "Graduation year")]


# --- Files that are not a student list -----------------------------------------------------------


def _empty_workbook():
    out = io.BytesIO()
    Workbook().save(out)
    return SimpleUploadedFile("students.xlsx", out.getvalue(), content_type=XLSX)


def _damaged_workbook():
    data = xlsx(GOOD).read()
    return SimpleUploadedFile("students.xlsx", data[:200], content_type=XLSX)


@pytest.mark.parametrize(
    "make, says",
    [
        (lambda: SimpleUploadedFile("students.csv", b"", content_type="text/csv"), "empty"),
        (_empty_workbook, "The file is empty."),
        (lambda: xlsx(GOOD, header=None), "The first row must hold the column titles; missing:"),
        (
            lambda: SimpleUploadedFile("students.xlsx", PNG_BYTES, content_type=XLSX),
            "The file is neither an Excel file nor a readable CSV file.",
        ),
        (_damaged_workbook, "The Excel file could not be read"),
    ],
    ids=["zero-bytes", "empty-workbook", "no-headers", "png-named-xlsx", "damaged-xlsx"],
)
def test_a_file_that_is_not_a_student_list_is_refused_with_a_clear_message(client, staff, make, says):
    client.force_login(staff)
    before = counts()

    response = upload(client, make())

    assert response.status_code == 400
    assert any(says in error for error in file_errors(response))
    assert counts() == before


# --- Malformed files: a row report or a clear file-level message, never a 500 -------------------


def _csv_bytes(rows, header=HEADER, newline="\r\n", encoding="utf-8") -> bytes:
    return (
        newline.join(",".join(str(cell) for cell in row) for row in [header, *rows]).encode(encoding) + b"\n"
    )


def _raw(data: bytes, name="students.csv", content_type="text/csv"):
    return lambda: SimpleUploadedFile(name, data, content_type=content_type)


def _zip_that_is_not_a_workbook():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return SimpleUploadedFile("students.xlsx", out.getvalue(), content_type=XLSX)


def _with_cell(index, column, value):
    rows = [row.copy() for row in GOOD]
    rows[index][HEADER.index(column)] = value
    return rows


OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
TAB_SEPARATED = "\r\n".join("\t".join(str(c) for c in row) for row in [HEADER, *GOOD])

MALFORMED = {
    # Files a real spreadsheet program writes: they are read and imported.
    "cr-only-line-endings": (_raw(_csv_bytes(GOOD, newline="\r")), ("imported", 3)),
    "lf-only-line-endings": (_raw(_csv_bytes(GOOD, newline="\n")), ("imported", 3)),
    "utf-16-unicode-text-from-excel": (_raw(TAB_SEPARATED.encode("utf-16")), ("imported", 3)),
    "blank-lines-between-rows": (
        _raw(_csv_bytes([GOOD[0], ["", "", "", "", "", ""], GOOD[1]], newline="\r\n")),
        ("imported", 2),
    ),
    # Files that are no student list: one clear message about the file.
    "zero-bytes": (_raw(b""), ("file", "empty")),
    "only-blank-lines": (_raw(b"\r\n , ,\r\n\r\n"), ("file", "The file is empty.")),
    "only-a-byte-order-mark": (_raw(b"\xef\xbb\xbf"), ("file", "The file is empty.")),
    "header-only": (_raw(_csv_bytes([])), ("file", "The file has the column titles but no students.")),
    "header-only-xlsx": (lambda: xlsx([]), ("file", "The file has the column titles but no students.")),
    "nul-bytes": (
        _raw(_csv_bytes(GOOD).replace(b"xiaoming", b"xiao\x00ming")),
        ("file", "neither an Excel file nor a readable CSV file"),
    ),
    "png-named-csv": (_raw(PNG_BYTES), ("file", "neither an Excel file nor a readable CSV file")),
    "wrong-encoding": (
        _raw("Student number,Full name\n1,Zoë".encode("latin-1") + b"\xff"),
        ("file", "neither"),
    ),
    "old-xls-or-password-protected": (
        _raw(OLE_HEADER, name="students.xls"),
        ("file", "an old Excel file (.xls) or a password-protected one"),
    ),
    "truncated-xlsx": (_damaged_workbook, ("file", "The Excel file could not be read.")),
    "zip-that-is-not-a-workbook": (
        _zip_that_is_not_a_workbook,
        ("file", "The Excel file could not be read."),
    ),
    "same-column-twice": (
        lambda: csv_file(GOOD, header=[*HEADER[:5], "E-mail"]),
        ("file", "The column “E-mail” appears more than once."),
    ),
    "too-large": (
        lambda: SimpleUploadedFile("students.csv", b"a" * (importer.MAX_BYTES + 1), content_type="text/csv"),
        ("file", "larger than"),
    ),
    # Files with a bad row: the row report.
    "row-with-too-many-cells": (
        lambda: csv_file([GOOD[0], [*GOOD[1], "extra"], GOOD[2]]),
        ("row", (3, "(whole row)", "more cells than the first row has titles")),
    ),
    "xlsx-row-with-a-cell-under-no-title": (
        lambda: xlsx([GOOD[0], [*GOOD[1], "extra"], GOOD[2]]),
        ("row", (3, "(whole row)", "more cells than the first row has titles")),
    ),
    "unbalanced-quote": (
        _raw(_csv_bytes(GOOD[:2]) + b'2023000003,"Zhang Wei,zhangwei@qq.com,x,2028,\n'),
        ("row", (4, "E-mail", "missing")),
    ),
    "year-too-large-for-a-number": (
        lambda: xlsx(_with_cell(1, "Graduation year", "1e400")),
        ("row", (3, "Graduation year", "a year between 2020 and 2040")),
    ),
    "year-with-a-fraction": (
        lambda: xlsx(_with_cell(1, "Graduation year", 2027.5)),
        ("row", (3, "Graduation year", "a year between 2020 and 2040")),
    ),
    "name-longer-than-the-database-takes": (
        lambda: xlsx(_with_cell(1, "Full name", "王" * 101)),
        ("row", (3, "Full name", "at most 100 characters")),
    ),
    "major-longer-than-the-database-takes": (
        lambda: xlsx(_with_cell(0, "Major", "m" * 101)),
        ("row", (2, "Major", "at most 100 characters")),
    ),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_file_gets_a_row_report_or_a_clear_message_never_an_error_page(client, staff, case):
    make, (outcome, expected) = MALFORMED[case]
    client.force_login(staff)
    before = counts()

    response = upload(client, make())

    if outcome == "imported":
        assert response.status_code == 302, response.content.decode()[-3000:]
        assert counts()[1] == before[1] + expected
        return
    assert response.status_code == 400
    if outcome == "file":
        assert any(expected in error for error in file_errors(response)), file_errors(response)
    else:
        row, column, message = expected
        assert any((r, c) == (row, column) and message in m for r, c, m in problems(response)), problems(
            response
        )
    assert counts() == before


def test_the_row_report_names_the_columns_in_the_readers_language(client, staff):
    staff.language = "zh-hans"
    staff.save()
    client.force_login(staff)

    response = upload(client, xlsx(_with_cell(1, "Major", "")))

    assert response.status_code == 400
    assert (3, "专业", "缺失") in problems(response)


def test_a_missing_column_is_named_in_the_readers_language(client, staff):
    staff.language = "zh-hans"
    staff.save()
    client.force_login(staff)

    response = upload(client, xlsx([row[:3] for row in GOOD], header=HEADER[:3]))

    assert response.status_code == 400
    assert any("专业" in error and "毕业年份" in error for error in file_errors(response))


def test_each_columns_chinese_name_in_the_report_is_a_title_the_import_accepts():
    from django.utils import translation

    with translation.override("zh-hans"):
        shown = {key: str(label) for key, label in importer.COLUMN_LABELS.items() if key}
    assert shown == {key: zh for key, _en, zh, _required in importer.COLUMNS}
    for key, title in shown.items():
        assert importer.students._header_key(title) == key


# --- The template --------------------------------------------------------------------------------


def test_the_template_has_the_column_titles_and_imports_once_filled_in(client, staff):
    client.force_login(staff)

    response = client.get(reverse("internships:student_import_template"))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    titles = [cell.value for cell in sheet[1]]
    assert titles == [f"{zh} / {en}" for _key, en, zh, _required in importer.COLUMNS]
    assert titles[0] == "学号 / Student number"
    for column, value in enumerate(
        ["2023000042", "陈静", "chenjing@qq.com", "电子商务", "电商2302", 2028, "13900139000", "Jing Chen"],
        start=1,
    ):
        sheet.cell(row=2, column=column, value=value)
    out = io.BytesIO()
    book.save(out)

    response = upload(client, SimpleUploadedFile("filled.xlsx", out.getvalue(), content_type=XLSX))

    assert response.status_code == 302
    user = User.objects.get(email="chenjing@qq.com")
    assert (user.english_name, user.phone) == ("Jing Chen", "13900139000")
    assert user.student_profile.class_name == "电商2302"


# --- A whole year group --------------------------------------------------------------------------


def test_five_thousand_students_are_checked_and_imported_in_one_request(client, staff):
    rows = [[f"2024{i:06d}", f"学生{i}", f"student{i}@qq.com", "市场营销", 2028, ""] for i in range(5000)]
    client.force_login(staff)

    response = upload(client, xlsx(rows))

    assert response.status_code == 302
    assert StudentProfile.objects.count() == 5000
    assert Invitation.objects.count() == 5000
