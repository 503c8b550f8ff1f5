"""Weekly reflections: the student writes one per week from the week's last working day, can edit
it until the mentor replies; the mentor replies; each sees only their own."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from evaluations.models import REFLECTION_MAX_LENGTH, REFLECTION_MIN_LENGTH, Reflection
from evaluations.services import reflection_length, reflection_reply, reflection_submit
from internships.models import Placement
from tests.factories import (
    CohortFactory,
    MentorFactory,
    PlacementFactory,
    PlacementWindowFactory,
    ReflectionFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The placement runs Monday 30 Nov – Friday 18 Dec 2026, Monday to Friday: week 1 ends Friday 4 Dec.
WEEK_1_LAST_DAY = datetime(2026, 12, 4, 18, 0, tzinfo=SHANGHAI)
WEEK_1_THURSDAY = datetime(2026, 12, 3, 18, 0, tzinfo=SHANGHAI)

LEARNED = "这周我学会了如何向顾客介绍小米手机的主要卖点，也熟悉了门店的收银流程。"
DIFFICULT = "周末高峰时段顾客很多，我不知道先接待哪一位，常常手忙脚乱，需要向导师请教。"
GOAL = "下周我希望能独立完成一次完整的销售流程，包括了解需求、推荐产品、开单与收银。"


@pytest.fixture
def placement(student, mentor):
    window = PlacementWindowFactory(
        cohort=CohortFactory(placement_weekdays="12345"),
        starts_on=date(2026, 11, 30),
        ends_on=date(2026, 12, 18),
    )
    return PlacementFactory(
        window=window, student=student, application__student=student, mentor=mentor.mentor_profile
    )


def submit(placement, week=1, **answers):
    fields = {"learned": LEARNED, "difficult": DIFFICULT, "goal": GOAL, **answers}
    return reflection_submit(placement=placement, week=week, by=placement.student, **fields)


# --- The student's submission ---------------------------------------------------------------------


@time_machine.travel(WEEK_1_LAST_DAY, tick=False)
def test_a_student_writes_the_reflection_on_the_weeks_last_working_day(placement):
    reflection = submit(placement)

    assert reflection.week == 1 and reflection.learned == LEARNED and reflection.reply == ""
    assert reflection.submitted_at is not None


@time_machine.travel(WEEK_1_THURSDAY, tick=False)
def test_a_reflection_cannot_be_written_before_the_weeks_last_working_day(placement):
    with pytest.raises(ValidationError, match="opens on"):
        submit(placement)

    assert not Reflection.objects.exists()


@time_machine.travel(WEEK_1_LAST_DAY, tick=False)
def test_chinese_answers_count_each_character_and_spaces_do_not_pad(placement):
    assert reflection_length("我学会了") == 4
    assert reflection_length("a   b\n\n c") == 5
    just_enough = "学" * REFLECTION_MIN_LENGTH
    one_short = "学" * (REFLECTION_MIN_LENGTH - 1) + " " * 20

    with pytest.raises(ValidationError) as error:
        submit(placement, learned=one_short, goal="好")

    assert set(error.value.message_dict) == {"learned", "goal"}
    assert "at least 30 characters (you wrote 29)" in error.value.message_dict["learned"][0]
    assert not Reflection.objects.exists()
    assert submit(placement, learned=just_enough).learned == just_enough


@time_machine.travel(WEEK_1_LAST_DAY, tick=False)
def test_an_answer_longer_than_the_maximum_is_refused(placement):
    with pytest.raises(ValidationError) as error:
        submit(placement, difficult="难" * (REFLECTION_MAX_LENGTH + 1))

    assert list(error.value.message_dict) == ["difficult"]
    assert not Reflection.objects.exists()


@time_machine.travel(WEEK_1_LAST_DAY, tick=False)
def test_only_the_placed_student_writes_and_only_weeks_one_to_three(placement, other_student):
    with pytest.raises(ValidationError, match="Only the student"):
        reflection_submit(
            placement=placement, week=1, learned=LEARNED, difficult=DIFFICULT, goal=GOAL, by=other_student
        )
    with pytest.raises(ValidationError, match="no placement week 4"):
        submit(placement, week=4)
    assert not Reflection.objects.exists()


@pytest.mark.parametrize("status", [Placement.Status.PROPOSED, Placement.Status.WITHDRAWN])
@time_machine.travel(WEEK_1_LAST_DAY, tick=False)
def test_no_reflection_on_an_unpublished_or_withdrawn_placement(placement, status):
    placement.status = status
    placement.save()

    with pytest.raises(ValidationError, match="not published"):
        submit(placement)

    assert not Reflection.objects.exists()


@time_machine.travel(datetime(2026, 12, 21, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_week_three_can_be_written_after_the_placement_is_completed(placement):
    placement.status = Placement.Status.COMPLETED
    placement.save()

    assert submit(placement, week=3).week == 3


@time_machine.travel(WEEK_1_LAST_DAY, tick=False)
def test_a_second_submission_for_the_same_week_edits_the_students_own_reflection(placement):
    first = submit(placement)

    second = submit(placement, goal=GOAL + "再加上一个目标。")

    assert second.pk == first.pk
    assert Reflection.objects.get().goal.endswith("再加上一个目标。")


@time_machine.travel(WEEK_1_LAST_DAY, tick=False)
def test_once_the_mentor_replied_the_reflection_can_no_longer_be_changed(placement):
    reflection = submit(placement)
    reflection_reply(reflection=reflection, text="很好的反思，下周试试独立开单。", by=placement.mentor.user)

    with pytest.raises(ValidationError, match="already replied"):
        submit(placement, goal=GOAL + "改一改。")

    assert Reflection.objects.get().goal == GOAL


def test_the_database_holds_one_reflection_per_placement_and_week(placement):
    ReflectionFactory(placement=placement, week=2)

    with pytest.raises(IntegrityError), transaction.atomic():
        ReflectionFactory(placement=placement, week=2)


# --- The mentor's reply ---------------------------------------------------------------------------


@time_machine.travel(WEEK_1_LAST_DAY, tick=False)
def test_the_interns_mentor_replies_and_can_change_the_reply(placement):
    reflection = submit(placement)

    reflection_reply(reflection=reflection, text="  很好！ ", by=placement.mentor.user)
    reflection_reply(reflection=reflection, text="很好，继续加油。", by=placement.mentor.user)

    reflection.refresh_from_db()
    assert reflection.reply == "很好，继续加油。"
    assert reflection.replied_by == placement.mentor.user and reflection.replied_at is not None


@time_machine.travel(WEEK_1_LAST_DAY, tick=False)
def test_a_reply_is_not_empty_not_too_long_and_only_from_the_interns_mentor(placement, other_mentor):
    reflection = submit(placement)

    with pytest.raises(ValidationError, match="Write a reply"):
        reflection_reply(reflection=reflection, text="   ", by=placement.mentor.user)
    with pytest.raises(ValidationError, match="at most"):
        reflection_reply(
            reflection=reflection, text="好" * (REFLECTION_MAX_LENGTH + 1), by=placement.mentor.user
        )
    with pytest.raises(ValidationError, match="Only the intern's mentor"):
        reflection_reply(reflection=reflection, text="不错", by=other_mentor)

    reflection.refresh_from_db()
    assert reflection.reply == "" and reflection.replied_at is None


# --- Pages -----------------------------------------------------------------------------------------


@time_machine.travel(WEEK_1_LAST_DAY, tick=False)
def test_the_student_sees_each_week_written_to_write_or_not_yet_open(client, placement):
    reflection = submit(placement)
    reflection_reply(reflection=reflection, text="很好的反思，下周试试独立开单。", by=placement.mentor.user)
    client.force_login(placement.student)

    html = client.get(reverse("evaluations:my_reflections")).content.decode()

    week_1, week_2, week_3 = (html.split(f'id="week-{w}-title"')[1].split("</section>")[0] for w in (1, 2, 3))
    assert "Mentor replied" in week_1 and "很好的反思，下周试试独立开单。" in week_1 and LEARNED in week_1
    assert "Not open yet" in week_2 and "Opens on 11 Dec 2026" in week_2
    assert "Not open yet" in week_3 and "Opens on 18 Dec 2026" in week_3


@time_machine.travel(datetime(2026, 12, 11, 19, 0, tzinfo=SHANGHAI), tick=False)
def test_an_open_week_links_to_its_form(client, placement):
    client.force_login(placement.student)

    html = client.get(reverse("evaluations:my_reflections")).content.decode()

    assert html.count("To write") == 2
    assert reverse("evaluations:reflection_write", args=[2]) in html


def test_a_student_without_a_placement_is_told_when_reflections_appear(client, student):
    client.force_login(student)

    html = client.get(reverse("evaluations:my_reflections")).content.decode()

    assert "You have no store placement yet." in html
    assert client.get(reverse("evaluations:reflection_write", args=[1])).status_code == 404


@pytest.mark.parametrize(
    ("language", "too_short"),
    [("zh-hans", "请至少写 30 个字（你写了 4 个）"), ("en", "Write at least 30 characters (you wrote 4)")],
)
@time_machine.travel(WEEK_1_LAST_DAY, tick=False)
def test_a_short_answer_is_shown_next_to_its_field_in_the_students_language(
    client, placement, language, too_short
):
    placement.student.language = language
    placement.student.save()
    client.force_login(placement.student)
    client.cookies["django_language"] = language

    response = client.post(
        reverse("evaluations:reflection_write", args=[1]),
        {"learned": "学到很多", "difficult": DIFFICULT, "goal": GOAL},
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 400
    html = response.content.decode()
    learned_field = html.split('id="div_id_learned"')[1].split('id="div_id_difficult"')[0]
    assert too_short in learned_field
    assert not Reflection.objects.exists()


@time_machine.travel(WEEK_1_LAST_DAY, tick=False)
def test_the_student_submits_the_form_and_returns_to_the_list(client, placement):
    client.force_login(placement.student)

    response = client.post(
        reverse("evaluations:reflection_write", args=[1]),
        {"learned": LEARNED, "difficult": DIFFICULT, "goal": GOAL},
    )

    assert response.status_code == 302 and response["Location"] == reverse("evaluations:my_reflections")
    assert Reflection.objects.get().difficult == DIFFICULT


@time_machine.travel(WEEK_1_THURSDAY, tick=False)
def test_the_form_of_a_week_not_yet_open_says_when_it_opens(client, placement):
    client.force_login(placement.student)

    html = client.get(reverse("evaluations:reflection_write", args=[1])).content.decode()

    assert "This reflection opens on 4 Dec 2026" in html
    assert 'name="learned"' not in html


@time_machine.travel(WEEK_1_LAST_DAY, tick=False)
def test_a_replied_reflection_is_shown_read_only(client, placement):
    reflection = submit(placement)
    reflection_reply(reflection=reflection, text="继续加油", by=placement.mentor.user)
    client.force_login(placement.student)

    html = client.get(reverse("evaluations:reflection_write", args=[1])).content.decode()

    assert "继续加油" in html and 'name="learned"' not in html


@time_machine.travel(WEEK_1_LAST_DAY, tick=False)
def test_the_mentor_sees_reflections_waiting_for_a_reply_first(client, mentor):
    window = PlacementWindowFactory(starts_on=date(2026, 11, 30), ends_on=date(2026, 12, 18))
    answered = ReflectionFactory(
        placement=PlacementFactory(
            window=window, mentor=mentor.mentor_profile, application__student__full_name="甲"
        ),
        reply="好",
        replied_at=datetime(2026, 12, 4, 12, 0, tzinfo=SHANGHAI),
    )
    waiting = ReflectionFactory(
        placement=PlacementFactory(
            window=window, mentor=mentor.mentor_profile, application__student__full_name="乙"
        )
    )
    ReflectionFactory(
        placement=PlacementFactory(window=window, application__student__full_name="别人的实习生")
    )
    client.force_login(mentor)

    response = client.get(reverse("evaluations:mentor_reflections"))

    assert response.context["reflections"] == [waiting, answered]
    assert "别人的实习生" not in response.content.decode()


@time_machine.travel(WEEK_1_LAST_DAY, tick=False)
def test_the_mentor_replies_from_the_reply_page(client, placement):
    reflection = submit(placement)
    client.force_login(placement.mentor.user)

    assert client.get(reverse("evaluations:reflection_reply", args=[reflection.pk])).status_code == 200
    empty = client.post(reverse("evaluations:reflection_reply", args=[reflection.pk]), {"reply": " "})
    response = client.post(reverse("evaluations:reflection_reply", args=[reflection.pk]), {"reply": "做得好"})

    assert empty.status_code == 400
    assert response.status_code == 302
    reflection.refresh_from_db()
    assert reflection.reply == "做得好"


@time_machine.travel(WEEK_1_LAST_DAY, tick=False)
def test_another_mentor_gets_not_found_and_changes_nothing(client, placement, other_mentor):
    reflection = submit(placement)
    client.force_login(other_mentor)

    response = client.post(
        reverse("evaluations:reflection_reply", args=[reflection.pk]), {"reply": "不是我的"}
    )

    assert response.status_code == 404
    reflection.refresh_from_db()
    assert reflection.reply == ""


# --- Queries at two sizes -----------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 25])
@time_machine.travel(WEEK_1_LAST_DAY, tick=False)
def test_the_mentors_reflection_list_makes_a_fixed_number_of_queries(
    client, django_assert_num_queries, mentor, size
):
    window = PlacementWindowFactory(starts_on=date(2026, 11, 30), ends_on=date(2026, 12, 18))
    for _ in range(size):
        ReflectionFactory(placement=PlacementFactory(window=window, mentor=mentor.mentor_profile))
    client.force_login(mentor)

    # session, user, bell, count, page of reflections with their students
    with django_assert_num_queries(5):
        response = client.get(reverse("evaluations:mentor_reflections"))

    assert len(response.context["reflections"]) == min(size, 20)


@pytest.mark.parametrize("size", [2, 25])
@pytest.mark.parametrize("url_name", ["evaluations:my_reflections", "evaluations:reflection_write"])
@time_machine.travel(WEEK_1_LAST_DAY, tick=False)
def test_the_students_pages_make_a_fixed_number_of_queries(
    client, django_assert_num_queries, placement, size, url_name
):
    submit(placement)
    StudentFactory.create_batch(size)
    for _ in range(size):  # other students' placements and reflections are not read
        ReflectionFactory(placement=PlacementFactory(window=placement.window, mentor=MentorFactory()))
    client.force_login(placement.student)
    args = [1] if url_name == "evaluations:reflection_write" else []

    # session, user, bell, the placement, its reflections
    with django_assert_num_queries(5):
        response = client.get(reverse(url_name, args=args))

    assert response.status_code == 200


@time_machine.travel(WEEK_1_LAST_DAY, tick=False)
def test_empty_and_short_answers_are_all_named_at_once(client, placement):
    client.force_login(placement.student)

    response = client.post(reverse("evaluations:reflection_write", args=[1]), {"learned": "学到很多"})

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"learned", "difficult", "goal"}
    assert "(you wrote 0)" in errors["goal"][0]
    assert not Reflection.objects.exists()


@pytest.mark.parametrize("size", [2, 25])
@time_machine.travel(WEEK_1_LAST_DAY, tick=False)
def test_the_reply_page_makes_a_fixed_number_of_queries(client, django_assert_num_queries, placement, size):
    reflection = submit(placement)
    for _ in range(size):
        ReflectionFactory(placement=PlacementFactory(window=placement.window, mentor=placement.mentor))
    client.force_login(placement.mentor.user)

    # session, user, bell, the reflection with its placement, student and mentor
    with django_assert_num_queries(4):
        response = client.get(reverse("evaluations:reflection_reply", args=[reflection.pk]))

    assert response.status_code == 200
