from django import template
from django.utils.safestring import mark_safe

from courses.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    """Sanitised HTML from Markdown (see courses.markdown)."""
    return mark_safe(render_markdown(text))
