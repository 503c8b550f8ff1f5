"""Form widgets shared by every app."""

from django import forms


class IsoDateInput(forms.DateInput):
    """A browser date picker (`<input type="date">`), which only accepts yyyy-mm-dd.

    Django would otherwise write the active language's first input format (2026/12/01 in
    Chinese), which the browser silently drops, so a saved form would blank its dates.
    """

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
