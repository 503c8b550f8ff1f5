"""Reading an uploaded student list into rows of cells: XLSX, or CSV in UTF-8, UTF-16 or GBK."""

import codecs
import csv
import io

from django.utils.translation import gettext as _
from openpyxl import load_workbook

MAX_BYTES = 10 * 1024 * 1024  # a list of 20,000 students is about 2 MB as CSV
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and any password-protected workbook


class ImportFileError(Exception):
    """The file cannot be read as a student list at all."""


def read_rows(upload) -> list[list]:
    """The rows of cells of an uploaded XLSX or CSV file; ImportFileError when it cannot be read."""
    if upload.size > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(mb)s MB. Split it into smaller files.") % {"mb": MAX_BYTES // 2**20}
        )
    data = upload.read()
    if data[:2] == b"PK":  # XLSX is a zip file
        return _read_workbook(data)
    if data.startswith(OLE_SIGNATURE):
        raise ImportFileError(
            _(
                "This is an old Excel file (.xls) or a password-protected one. Remove the password "
                "and save it as an Excel workbook (.xlsx) or as CSV UTF-8, then upload it again."
            )
        )
    return _read_csv(data)


def _read_workbook(data: bytes) -> list[list]:
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(
            _(
                "The Excel file could not be read. Open it in Excel, save it again as .xlsx and upload it again."
            )
        ) from error


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ImportFileError(_("The file is neither an Excel file nor a readable CSV file.")) from error
    if b"\x00" in data:  # no text file has NUL bytes; a picture, a PDF or a Word file has
        raise ImportFileError(_("The file is neither an Excel file nor a readable CSV file."))
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China often saves CSV as GBK
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The file is neither an Excel file nor a readable CSV file."))


def _read_csv(data: bytes) -> list[list]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0].split("\r", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    # newline="" lets the csv module see every line ending: \r\n, \n, and the old \r alone.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file cannot be read from line %(line)s on. Save it again from Excel as CSV UTF-8.")
            % {"line": reader.line_num}
        ) from error
