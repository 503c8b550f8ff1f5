"""The staff pages of results: assessment settings, the results list with its actions, overrides."""

import re

import pytest
from django.urls import reverse

from evaluations.models import AssessmentSettings, Band, Certificate, ProgrammeResult, ResultOverride
from evaluations.services import result_refresh, results_confirm
from internships.models import Application
from notifications.models import Reminder
from tests.factories import StudentFactory

from .results_world import cohort_with_plan, complete_placement, placed, settings_for, travel

pytestmark = pytest.mark.django_db

VALID = {
    "release_mode": "on_submit",
    "course_weight": "30",
    "evaluation_weight": "50",
    "attendance_weight": "20",
    "distinction_from": "90",
    "merit_from": "80",
    "pass_from": "65",
}


@pytest.fixture
def zh_staff(staff):
    staff.language = "zh-hans"
    staff.save()
    return staff


def settings_url(cohort):
    return reverse("evaluations:assessment_settings", args=[cohort.pk])


def results_url(cohort):
    return reverse("evaluations:results", args=[cohort.pk])


def test_the_settings_page_shows_the_defaults_without_saving_them(client, staff):
    cohort = cohort_with_plan()
    client.force_login(staff)

    html = client.get(settings_url(cohort)).content.decode()

    assert 'name="course_weight" value="40"' in html and 'name="pass_from" value="60"' in html
    assert not AssessmentSettings.objects.exists()


def test_saving_the_settings_creates_the_row_and_recomputes(client, staff):
    with travel():
        cohort = cohort_with_plan()
        placement = complete_placement(cohort)
        client.force_login(staff)

        response = client.post(settings_url(cohort), VALID)

    assert response.status_code == 302
    saved = AssessmentSettings.objects.get(cohort=cohort)
    assert (saved.course_weight, saved.evaluation_weight, saved.attendance_weight) == (30, 50, 20)
    assert (saved.distinction_from, saved.merit_from, saved.pass_from) == (90, 80, 65)
    result = ProgrammeResult.objects.get(placement=placement)
    assert result.total == 24 + 37.5 + 20  # 80·30% + 75·50% + 100·20%


@pytest.mark.parametrize(
    "language, weights_message, order_message",
    [
        ("zh-hans", "三项权重之和必须为 100", "分数线必须按顺序"),
        ("en", "The three weights must add up to 100; now they add up to 90.", "must be in order"),
    ],
)
def test_weights_not_adding_up_and_thresholds_out_of_order_are_refused_next_to_the_field(
    client, staff, language, weights_message, order_message
):
    staff.language = language
    staff.save()
    cohort = cohort_with_plan()
    client.force_login(staff)

    response = client.post(settings_url(cohort), {**VALID, "attendance_weight": "10"})
    assert response.status_code == 400
    assert weights_message in response.content.decode()

    response = client.post(settings_url(cohort), {**VALID, "merit_from": "95"})
    assert response.status_code == 400
    assert order_message in response.content.decode()
    assert not AssessmentSettings.objects.exists()


def test_after_confirmation_the_weights_are_read_only_but_the_release_mode_may_change(client, staff):
    with travel():
        cohort = cohort_with_plan()
        complete_placement(cohort)
        results_confirm(cohort=cohort, by=staff)
    client.force_login(staff)

    html = client.get(settings_url(cohort)).content.decode()
    assert re.search(r'name="course_weight"[^>]*disabled', html)

    response = client.post(settings_url(cohort), {**VALID, "release_mode": "by_staff"})

    assert response.status_code == 302
    saved = AssessmentSettings.objects.get(cohort=cohort)
    assert saved.release_mode == "by_staff"
    assert saved.course_weight == 40  # the posted 30 is ignored: the field is disabled


def test_the_results_page_lists_each_student_with_components_band_and_certificate(client, zh_staff):
    with travel():
        cohort = cohort_with_plan()
        done = complete_placement(cohort, application__student=StudentFactory(full_name="王小明"))
        placed(cohort, application__student=StudentFactory(full_name="李思雨"))
        result_refresh(placement=done)
    client.force_login(zh_staff)

    html = client.get(results_url(cohort)).content.decode()

    assert "王小明" in html and "李思雨" in html
    row = html.split("王小明")[1].split("</tr>")[0]
    assert "80.00" in row and "75.00" in row and "100.00" in row  # courses, evaluations, attendance
    assert "良好" in row
    assert "尚未计算" in html.split("李思雨")[1].split("</tr>")[0]


def test_recompute_confirm_and_issue_from_the_results_page(client, staff):
    with travel():
        cohort = cohort_with_plan()
        placement = complete_placement(cohort)
        client.force_login(staff)

        client.post(reverse("evaluations:results_recompute", args=[cohort.pk]))
        assert ProgrammeResult.objects.get(placement=placement).band == Band.MERIT
        client.post(reverse("evaluations:results_confirm", args=[cohort.pk]))
        response = client.post(reverse("evaluations:certificates_issue", args=[cohort.pk]), follow=True)

    assert AssessmentSettings.objects.get(cohort=cohort).results_confirmed
    assert Certificate.objects.filter(result__placement=placement).exists()
    assert "1 certificates issued" in response.content.decode()
    assert Reminder.objects.filter(kind="certificate_issued", recipient=placement.student).exists()


def test_confirming_with_pending_results_says_who_is_pending(client, staff):
    with travel():
        cohort = cohort_with_plan()
        placed(cohort, application__student=StudentFactory(full_name="赵晓燕"))
        client.force_login(staff)

        response = client.post(reverse("evaluations:results_confirm", args=[cohort.pk]), follow=True)

    assert "赵晓燕" in response.content.decode()
    assert not AssessmentSettings.objects.filter(results_confirmed_at__isnull=False).exists()


def test_xiaomi_sees_only_the_results_of_students_who_consented_and_no_actions(client, hr):
    with travel():
        cohort = cohort_with_plan()
        shared = complete_placement(cohort, application__student=StudentFactory(full_name="王小明"))
        private = complete_placement(cohort, application__student=StudentFactory(full_name="李思雨"))
        Application.objects.filter(pk=shared.application_id).update(shares_with_xiaomi=True)
        Application.objects.filter(pk=private.application_id).update(shares_with_xiaomi=False)
    client.force_login(hr)

    html = client.get(results_url(cohort)).content.decode()

    assert "王小明" in html and "李思雨" not in html
    assert "results/confirm/" not in html and "/override/" not in html


def test_the_override_page_needs_a_reason_then_keeps_it(client, zh_staff):
    with travel():
        placement = complete_placement(cohort_with_plan())
        result_refresh(placement=placement)
    result = ProgrammeResult.objects.get(placement=placement)
    url = reverse("evaluations:result_override", args=[result.pk])
    client.force_login(zh_staff)

    response = client.post(url, {"band": "distinction", "reason": ""})
    assert response.status_code == 400
    assert "这个字段是必填项" in response.content.decode()
    assert not ResultOverride.objects.exists()

    response = client.post(url, {"band": "distinction", "reason": "门店销售竞赛第一名"})
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.band == Band.DISTINCTION
    assert "门店销售竞赛第一名" in client.get(url).content.decode()  # in the history


@pytest.mark.parametrize("size", [3, 30])
def test_the_results_page_takes_the_same_number_of_queries_whatever_the_cohort_size(
    client, staff, size, django_assert_num_queries
):
    with travel():
        cohort = cohort_with_plan()
        for _ in range(size):
            complete_placement(cohort)
        settings_for(cohort)
        from evaluations.services import results_refresh

        results_refresh(cohort=cohort)
    client.force_login(staff)

    with django_assert_num_queries(8):
        response = client.get(results_url(cohort))

    assert response.status_code == 200
    assert response.content.decode().count("80.00") == size


def test_the_results_page_shows_fifty_students_a_page(client, staff):
    with travel():
        cohort = cohort_with_plan(courses=0)
        for _ in range(51):
            placed(cohort, course_scores=())
    client.force_login(staff)

    first = client.get(results_url(cohort)).content.decode()
    second = client.get(results_url(cohort) + "?page=2").content.decode()

    assert first.count("<tr>") - 1 == 50 and second.count("<tr>") - 1 == 1
