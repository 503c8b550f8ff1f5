"""Load a course (lessons and quiz) from a reviewed TOML file: see courses/content/*.toml."""

import tomllib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Choice, Course, Lesson, Question

CONTENT_DIR = Path(__file__).resolve().parent / "content"


class ContentError(Exception):
    """The file is not a valid course; the message says where."""


def _require(data: dict, key: str, where: str):
    value = data.get(key)
    if value in (None, ""):
        raise ContentError(f"{where}: '{key}' is missing")
    return value


def _validate(data: dict, source: str) -> None:
    for key in ("code", "order", "title_zh", "title_en"):
        _require(data, key, source)
    for i, lesson in enumerate(data.get("lessons", []), start=1):
        for key in ("title_zh", "title_en", "body_zh", "body_en"):
            _require(lesson, key, f"{source} lesson {i}")
    for i, question in enumerate(data.get("questions", []), start=1):
        where = f"{source} question {i}"
        kind = question.get("kind", "single")
        if kind not in ("single", "multiple"):
            raise ContentError(f"{where}: kind must be 'single' or 'multiple'")
        for key in ("text_zh", "text_en"):
            _require(question, key, where)
        choices = question.get("choices", [])
        if len(choices) < 2:
            raise ContentError(f"{where}: needs at least two choices")
        correct = sum(bool(c.get("correct")) for c in choices)
        if kind == "single" and correct != 1:
            raise ContentError(f"{where}: a single-answer question needs exactly one correct choice")
        if kind == "multiple" and correct < 1:
            raise ContentError(f"{where}: needs at least one correct choice")
        for j, choice in enumerate(choices, start=1):
            for key in ("text_zh", "text_en"):
                _require(choice, key, f"{where} choice {j}")


@transaction.atomic
def course_load(path: Path) -> Course:
    """Create or update a course from a TOML file; lessons and questions follow the file's order."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ContentError(f"{path}: {error}") from error
    _validate(data, str(path))
    taken = Course.objects.filter(order=data["order"]).exclude(code=data["code"]).first()
    if taken is not None:
        raise ContentError(f"{path}: order {data['order']} is already used by {taken.code}")
    course, _ = Course.objects.update_or_create(
        code=data["code"],
        defaults={
            "order": data["order"],
            "title_zh": data["title_zh"],
            "title_en": data["title_en"],
            "summary_zh": data.get("summary_zh", "").strip(),
            "summary_en": data.get("summary_en", "").strip(),
            "pass_mark": data.get("pass_mark", 60),
            "quiz_max_attempts": data.get("quiz_max_attempts", 3),
        },
    )
    lessons = data.get("lessons", [])
    for order, item in enumerate(lessons, start=1):
        lesson = Lesson(
            course=course,
            order=order,
            title_zh=item["title_zh"],
            title_en=item["title_en"],
            body_zh=item["body_zh"].strip(),
            body_en=item["body_en"].strip(),
            video_url=item.get("video_url", ""),
            minutes=item.get("minutes", 15),
        )
        try:
            lesson.clean_fields(exclude=["course", "attachment"])
        except ValidationError as error:
            raise ContentError(f"{path} lesson {order}: {error}") from error
        Lesson.objects.update_or_create(
            course=course,
            order=order,
            defaults={
                f: getattr(lesson, f)
                for f in ("title_zh", "title_en", "body_zh", "body_en", "video_url", "minutes")
            },
        )
    course.lessons.filter(order__gt=len(lessons)).delete()

    questions = data.get("questions", [])
    for order, item in enumerate(questions, start=1):
        question, _ = Question.objects.update_or_create(
            course=course,
            order=order,
            defaults={
                "kind": item.get("kind", "single"),
                "text_zh": item["text_zh"],
                "text_en": item["text_en"],
            },
        )
        # Choices are replaced: answers given in past attempts keep their own rows' meaning only
        # while the question is unchanged, so edit questions before students take the quiz.
        if not question.choices.filter(pk__in=_answered_choice_ids(question)).exists():
            question.choices.all().delete()
            Choice.objects.bulk_create(
                Choice(
                    question=question,
                    order=j,
                    text_zh=c["text_zh"],
                    text_en=c["text_en"],
                    is_correct=bool(c.get("correct")),
                )
                for j, c in enumerate(item["choices"], start=1)
            )
        else:
            for j, c in enumerate(item["choices"], start=1):
                question.choices.filter(order=j).update(text_zh=c["text_zh"], text_en=c["text_en"])
    course.questions.filter(order__gt=len(questions)).delete()
    return course


def _answered_choice_ids(question: Question):
    from .models import AttemptAnswer

    return AttemptAnswer.objects.filter(question=question).values("choice_id")
