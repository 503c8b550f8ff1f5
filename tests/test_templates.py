"""Page templates carry no inline style, event handler or script, so a strict Content-Security-Policy
(no 'unsafe-inline') can be switched on; and every page links the favicon, which the app serves."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static

ROOT = Path(settings.BASE_DIR)
# E-mails are exempt: mail programs ignore stylesheets, so inline styles are the only way there, and
# a Content-Security-Policy does not apply to them.
EMAILS = ROOT / "templates" / "emails"
TEMPLATES = sorted(
    path
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]
    if ".venv" not in folder.parts and "node_modules" not in folder.parts
    for path in folder.rglob("*.html")
    if EMAILS not in path.parents
)

TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.DOTALL)
STYLE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)


def _inline_code(text: str) -> list[str]:
    found = [m.group(0) for m in INLINE_SCRIPT.finditer(text)]
    for tag in TAG.finditer(text):
        if STYLE.search(tag.group(0)) or HANDLER.search(tag.group(0)):
            found.append(tag.group(0))
    return found


def test_the_checker_finds_what_it_looks_for():
    assert _inline_code('<div class="a" style="width: 1px">') == ['<div class="a" style="width: 1px">']
    assert _inline_code('<form method="post"\n onsubmit="return confirm()">')
    assert _inline_code("<script>alert(1)</script>") == ["<script>"]
    assert _inline_code('<script src="/static/js/site.js" defer></script>') == []
    assert _inline_code('<a href="/x" data-style="y">Questions on style= and onclick=</a>') == []


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 30


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_template_has_inline_styles_handlers_or_scripts(path):
    assert _inline_code(path.read_text(encoding="utf-8")) == []


TITLE_BLOCK = re.compile(r"{%\s*block title\s*%}(.*?){%\s*endblock", re.DOTALL)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_a_page_title_is_text_only(path):
    """The browser tab shows the title block as text: markup there is a misplaced page section."""
    titles = TITLE_BLOCK.findall(path.read_text(encoding="utf-8"))
    assert [title for title in titles if "<" in title] == []


def test_the_base_layout_links_the_favicon_in_svg_and_png(rf):
    page = render_to_string("base.html", request=rf.get("/"))
    assert f'<link rel="icon" href="{static("img/favicon.svg")}" type="image/svg+xml">' in page
    assert f'<link rel="icon" href="{static("img/favicon.png")}" type="image/png" sizes="32x32">' in page
    assert f'<link rel="apple-touch-icon" href="{static("img/apple-touch-icon.png")}">' in page


@pytest.mark.parametrize(
    ("name", "signature"),
    [
        ("img/favicon.svg", b"<svg"),
        ("img/favicon.png", b"\x89PNG\r\n\x1a\n"),
        ("img/apple-touch-icon.png", b"\x89PNG\r\n\x1a\n"),
    ],
)
def test_the_favicon_files_exist(name, signature):
    found = finders.find(name)
    assert found, name
    assert signature in Path(found).read_bytes()[:200]


def test_browsers_asking_for_favicon_ico_get_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code in (301, 302)
    assert response["Location"] == static("img/favicon.png")
