"""Bulk import of students from an XLSX or CSV file: validated whole, applied whole or not at all."""

from .files import MAX_BYTES, OLE_SIGNATURE, ImportFileError, read_rows
from .students import (
    COLUMN_LABELS,
    COLUMNS,
    HEADER_KEYS,
    MAX_LENGTHS,
    MAX_ROWS,
    ImportReport,
    RowError,
    apply,
    parse,
    template_workbook,
)

__all__ = [
    "COLUMNS",
    "COLUMN_LABELS",
    "HEADER_KEYS",
    "MAX_BYTES",
    "MAX_LENGTHS",
    "MAX_ROWS",
    "OLE_SIGNATURE",
    "ImportFileError",
    "ImportReport",
    "RowError",
    "apply",
    "parse",
    "read_rows",
    "template_workbook",
]
