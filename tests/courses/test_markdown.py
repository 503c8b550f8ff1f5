"""Lesson text is Markdown rendered to sanitised HTML: formatting survives, scripts do not."""

import pytest
from django.urls import reverse

from courses.markdown import render_markdown
from tests.factories import EnrolmentFactory, LessonFactory


def test_a_script_tag_is_removed():
    html = render_markdown("Before\n\n<script>alert(1)</script>\n\nAfter")

    assert "<script" not in html
    assert "alert(1)" not in html
    assert "Before" in html and "After" in html


def test_a_javascript_link_loses_its_href():
    html = render_markdown("[x](javascript:alert(1))")

    assert "javascript:" not in html
    assert "href" not in html
    assert ">x</a>" in html


def test_an_image_with_an_onerror_handler_is_removed():
    html = render_markdown("<img src=x onerror=alert(1)>")

    assert "<img" not in html
    assert "onerror" not in html
    assert "alert" not in html


def test_an_onclick_attribute_is_removed():
    html = render_markdown(
        '<p onclick="steal()">Hello</p>\n\n<a href="https://www.mi.com" onclick="steal()">mi</a>'
    )

    assert "onclick" not in html
    assert "steal" not in html
    assert "Hello" in html
    assert 'href="https://www.mi.com"' in html


def test_ordinary_markdown_survives():
    html = render_markdown(
        "## Key points\n\n**Customers** come first.\n\n- listen\n- explain\n\n1. greet\n2. help\n\n"
        "See [the Xiaomi site](https://www.mi.com/)."
    )

    assert "<h2>Key points</h2>" in html
    assert "<strong>Customers</strong>" in html
    assert "<ul>\n<li>listen</li>\n<li>explain</li>\n</ul>" in html
    assert "<ol>\n<li>greet</li>\n<li>help</li>\n</ol>" in html
    assert '<a href="https://www.mi.com/" rel="noopener noreferrer nofollow">the Xiaomi site</a>' in html


def test_empty_text_renders_as_nothing():
    assert render_markdown("") == ""


@pytest.mark.django_db
def test_the_lesson_page_does_not_run_a_script_from_the_lesson_text(client, student):
    enrolment = EnrolmentFactory(student=student)
    evil = "## Welcome\n\n<script>alert(1)</script>\n\n[click](javascript:alert(2))"
    lesson = LessonFactory(course=enrolment.course, order=1, body_en=evil, body_zh=evil)
    client.force_login(student)

    response = client.get(reverse("courses:lesson", args=[enrolment.course.code, lesson.order]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "javascript:alert" not in html
    assert "<h2>Welcome</h2>" in html
