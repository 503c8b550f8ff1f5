"""Writing spreadsheets for people to open in Excel: what users typed is always written as text."""

from datetime import date, datetime
from decimal import Decimal

from django.utils.functional import Promise
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE


def spreadsheet_row(sheet, values) -> list[WriteOnlyCell]:
    """The cells of one row for `sheet.append(...)`.

    openpyxl stores a string that starts with "=" as a formula, which Excel runs when the export
    is opened (formula injection). Every string here becomes a plain text cell, kept as typed
    (no leading quote is added: the cell type alone makes Excel show it as text). Control
    characters that an .xlsx file cannot hold are dropped instead of failing the whole export.
    Numbers and dates stay numbers and dates.
    """
    cells = []
    for value in values:
        if isinstance(value, Promise):
            value = str(value)
        if value is None or isinstance(value, bool | int | float | Decimal | date | datetime):
            cells.append(WriteOnlyCell(sheet, value=value))
            continue
        cell = WriteOnlyCell(sheet, value="")
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell.data_type = "s"
        cells.append(cell)
    return cells
