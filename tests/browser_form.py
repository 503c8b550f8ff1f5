"""What a browser would submit for a rendered form: the test client's stand-in for a real browser.

A browser drops the value of an `<input type="date">` that is not `yyyy-mm-dd` (the HTML value
sanitisation algorithm), so a page that renders `2026/12/01` there submits an empty field.
"""

import re
from html.parser import HTMLParser

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, str] = {}
        self.date_values: dict[str, str] = {}  # what the page put into each date input
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            value = attributes.get("value") or ""
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.data[name] = value or "on"
            elif kind == "date":
                self.date_values[name] = value
                self.data[name] = value if ISO_DATE.match(value) else ""
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.data[name] = value
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = attributes.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attributes:
                self.data[self._select], self._select_chosen = value, True
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self.data[self._select] = self._select_first
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.removeprefix("\n") if not self.data[self._textarea] else data


def browser_submission(html: str) -> tuple[dict[str, str], dict[str, str]]:
    """(the fields a browser would post, the raw values the page wrote into date inputs)."""
    reader = _FormReader()
    reader.feed(html)
    reader.data.pop("csrfmiddlewaretoken", None)
    return reader.data, reader.date_values
