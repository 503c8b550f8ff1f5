"""The site's small visual components: `{% load ui %}`."""

from django import template
from django.utils.html import format_html

from accounts import ui

register = template.Library()


@register.simple_tag
def status_badge(obj, field: str = "status", extra_class: str = ""):
    """A pill in the tone the app registered for this state, labelled in the reader's language."""
    if obj is None or not getattr(obj, field):
        return ""
    label = getattr(obj, f"get_{field}_display")()
    classes = f"badge rounded-pill text-bg-{ui.tone(obj, field)}"
    if extra_class:
        classes = f"{classes} {extra_class}"
    return format_html('<span class="{}">{}</span>', classes, label)


@register.filter
def tone_of(obj, field: str = "status") -> str:
    """`text-bg-…` class of a state, for a badge that holds more than the state's name."""
    return f"text-bg-{ui.tone(obj, field)}"
