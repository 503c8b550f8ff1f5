"""`manage.py load_course`: the committed course files load, reload without duplicates, and a bad
file is refused whole."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from courses import services
from courses.loader import CONTENT_DIR
from courses.models import AttemptAnswer, Choice, Course, Lesson, Question
from tests.factories import StudentFactory, quiz_answers

pytestmark = pytest.mark.django_db

GOOD = """
code = "NR900"
order = 90
title_zh = "测试课程"
title_en = "Test Course"
pass_mark = 60
quiz_max_attempts = 3

[[lessons]]
title_zh = "第一课"
title_en = "Lesson one"
video_url = "https://www.bilibili.com/video/BV1xx"
body_zh = "## 要点\\n\\n顾客第一。"
body_en = "## Key points\\n\\nCustomers first."

[[lessons]]
title_zh = "第二课"
title_en = "Lesson two"
body_zh = "内容"
body_en = "Text"

[[questions]]
kind = "single"
text_zh = "哪一个正确？"
text_en = "Which one is right?"
choices = [
  { text_zh = "这个", text_en = "This one", correct = true },
  { text_zh = "那个", text_en = "That one" },
]

[[questions]]
kind = "multiple"
text_zh = "哪些正确？"
text_en = "Which are right?"
choices = [
  { text_zh = "甲", text_en = "A", correct = true },
  { text_zh = "乙", text_en = "B", correct = true },
  { text_zh = "丙", text_en = "C" },
]
"""


def load(*paths):
    out = StringIO()
    call_command("load_course", *[str(p) for p in paths], stdout=out)
    return out.getvalue()


def counts():
    return tuple(model.objects.count() for model in (Course, Lesson, Question, Choice))


def test_every_committed_course_file_loads_with_lessons_and_a_quiz():
    files = sorted(CONTENT_DIR.glob("*.toml"))
    assert files, "courses/content/ holds no course file"

    output = load()

    assert Course.objects.count() == len(files)  # five once every course is written
    for course in Course.objects.all():
        assert course.lessons.exists(), course.code
        assert course.questions.exists(), course.code
        for question in course.questions.prefetch_related("choices"):
            correct = [c for c in question.choices.all() if c.is_correct]
            assert len(question.choices.all()) >= 2 and correct, question
        assert course.code in output
    assert sorted(Course.objects.values_list("order", flat=True)) == list(range(1, len(files) + 1))


def test_loading_the_committed_files_twice_creates_no_duplicates():
    load()
    first = counts()

    load()

    assert counts() == first


def test_a_file_loads_lessons_and_questions_in_its_order(tmp_path):
    path = tmp_path / "nr900.toml"
    path.write_text(GOOD, encoding="utf-8")

    load(path)

    course = Course.objects.get(code="NR900")
    assert (course.title_en, course.order, course.pass_mark) == ("Test Course", 90, 60)
    assert list(course.lessons.values_list("order", "title_en")) == [(1, "Lesson one"), (2, "Lesson two")]
    assert course.lessons.get(order=1).body_en == "## Key points\n\nCustomers first."
    multiple = course.questions.get(order=2)
    assert multiple.kind == "multiple"
    assert list(multiple.choices.values_list("text_en", "is_correct")) == [
        ("A", True),
        ("B", True),
        ("C", False),
    ]


def test_reloading_a_course_keeps_the_answers_students_already_gave(tmp_path):
    path = tmp_path / "nr900.toml"
    path.write_text(GOOD, encoding="utf-8")
    load(path)
    enrolment = services.enrolment_create(student=StudentFactory(), course=Course.objects.get(code="NR900"))
    attempt = services.quiz_attempt_open(enrolment=enrolment)
    services.quiz_attempt_submit(attempt=attempt, answers=quiz_answers(attempt))
    answered = AttemptAnswer.objects.count()

    path.write_text(GOOD.replace("Which one is right?", "Which one is correct?"), encoding="utf-8")
    load(path)

    assert AttemptAnswer.objects.count() == answered
    assert Question.objects.get(order=1).text_en == "Which one is correct?"
    assert counts() == (1, 2, 2, 5)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda text: text.replace('title_en = "Test Course"', 'title_en = "Test Course'), "nr900.toml"),
        (
            lambda text: text.replace('text_en = "That one" }', 'text_en = "That one", correct = true }'),
            "question 1: a single-answer question needs exactly one correct choice",
        ),
        (lambda text: text.replace('body_zh = "内容"\n', ""), "lesson 2: 'body_zh' is missing"),
        (
            lambda text: text.replace(
                "https://www.bilibili.com/video/BV1xx", "https://www.youtube.com/watch?v=x"
            ),
            "lesson 1",
        ),
    ],
    ids=["invalid TOML", "two correct choices", "no Chinese text", "YouTube video"],
)
def test_a_bad_file_is_refused_whole_with_the_problem_named(tmp_path, change, message):
    path = tmp_path / "nr900.toml"
    bad = change(GOOD)
    assert bad != GOOD
    path.write_text(bad, encoding="utf-8")

    with pytest.raises(CommandError) as error:
        load(path)

    assert message in str(error.value)
    assert counts() == (0, 0, 0, 0)


def test_a_youtube_link_names_the_video_field(tmp_path):
    path = tmp_path / "nr900.toml"
    path.write_text(
        GOOD.replace("https://www.bilibili.com/video/BV1xx", "https://youtu.be/x"), encoding="utf-8"
    )

    with pytest.raises(CommandError, match="video_url"):
        load(path)


def test_a_bad_edit_of_a_loaded_course_changes_nothing(tmp_path):
    path = tmp_path / "nr900.toml"
    path.write_text(GOOD, encoding="utf-8")
    load(path)
    before = counts()

    path.write_text(
        GOOD.replace('title_en = "Test Course"', 'title_en = "Renamed"').replace(
            "https://www.bilibili.com/video/BV1xx", "http://www.bilibili.com/video/BV1xx"
        ),
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        load(path)

    assert counts() == before
    course = Course.objects.get(code="NR900")
    assert course.title_en == "Test Course"
    assert course.lessons.get(order=1).video_url == "https://www.bilibili.com/video/BV1xx"


def test_a_file_that_reuses_another_courses_order_is_refused_with_the_problem_named(tmp_path):
    first = tmp_path / "nr900.toml"
    first.write_text(GOOD, encoding="utf-8")
    load(first)
    second = tmp_path / "nr901.toml"
    second.write_text(GOOD.replace('code = "NR900"', 'code = "NR901"'), encoding="utf-8")

    with pytest.raises(CommandError, match="order"):
        load(second)

    assert list(Course.objects.values_list("code", flat=True)) == ["NR900"]
