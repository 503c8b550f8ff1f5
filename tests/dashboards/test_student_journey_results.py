"""The "+3" end of the student's journey: the evaluation step, the result panel with its
components, the certificate step with its download, and the week-by-week chart of scores."""

import re

import pytest
from django.urls import reverse

from evaluations.models import FINAL, Evaluation
from evaluations.services import certificate_issue, certificate_revoke, result_refresh
from tests.evaluations.results_world import (
    attend,
    cohort_with_plan,
    complete_placement,
    evaluate,
    placed,
    travel,
)
from tests.evaluations.test_certificates import confirmed_cohort
from tests.factories import NotificationFactory

from .test_student_timeline import home, journey

pytestmark = pytest.mark.django_db


def step(html: str, key_text: str) -> tuple[str, str]:
    [(state, text)] = [(state, text) for _i, state, text in journey(html) if text.startswith(key_text)]
    return state, text


def chart(html: str) -> str:
    return html.split('id="scores-title"')[1].split("</section>")[0]


def test_the_evaluation_step_is_done_once_the_final_evaluation_is_released(client, student):
    with travel():
        placement = placed(cohort_with_plan(), application__student=student)
        evaluate(placement, 1, [4] * 6)
        final = evaluate(placement, FINAL, [5] * 6)
        Evaluation.objects.filter(pk=final.pk).update(released_at=None)  # submitted, not released

        # the placement is still the current step; the evaluation step counts what is released
        assert step(home(client, student), "Evaluation") == ("upcoming", "Evaluation (1 released)")

        Evaluation.objects.filter(pk=final.pk).update(released_at=final.submitted_at)
        html = home(client, student)

    assert step(html, "Evaluation")[0] == "done"
    assert step(html, "Certificate")[0] == "current"


def test_the_week_by_week_chart_shows_the_released_scores_accessibly(client, student):
    with travel():
        placement = placed(cohort_with_plan(), application__student=student)
        evaluate(placement, 1, [3] * 6)
        evaluate(placement, 2, [4, 4, 4, 4, 5, 5])  # 4.3
        draft = evaluate(placement, 3, [5] * 6)
        Evaluation.objects.filter(pk=draft.pk).update(
            status=Evaluation.Status.DRAFT, released_at=None, submitted_at=None
        )
        html = home(client, student)

    svg = chart(html)
    assert '<svg viewBox="0 0 320 180"' in svg and 'role="img"' in svg
    assert re.search(r"<title id=\"score-chart-title\">Mentor's scores week by week</title>", svg)
    assert "<desc" in svg
    assert svg.count("<rect ") == 2  # week 1 and 2; never a draft
    hidden = svg.split('class="visually-hidden"')[1]
    items = [
        " ".join(re.sub(r"<[^>]+>", "", li).split()) for li in re.findall(r"<li>(.*?)</li>", hidden, re.S)
    ]
    assert items == [
        "Week 1: 3.0 / 5",
        "Week 2: 4.3 / 5",
        "Week 3: not released yet",
        "Final: not released yet",
    ]


def test_no_chart_and_no_result_before_any_evaluation_is_released(client, student):
    with travel():
        placed(cohort_with_plan(), application__student=student)
        html = home(client, student)

    assert 'id="scores-title"' not in html and 'id="result-title"' not in html


def test_the_result_panel_shows_each_component_the_total_and_the_band(client, student):
    with travel():
        placement = complete_placement(cohort_with_plan(), application__student=student)
        result_refresh(placement=placement)
        html = home(client, student)

    panel = html.split('id="result-title"')[1].split("</section>")[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", panel).split())
    assert "Merit" in text
    assert "provisional until the programme office confirms the results" in text
    assert (
        "Five courses 80.00 Mentor evaluations 75.00 Attendance 100.00 Total 79.50" in text
    )  # 32 + 37.5 + 10
    assert "Download my certificate" not in text


def test_a_pending_result_says_what_is_still_to_come(client, student):
    with travel():
        placement = placed(cohort_with_plan(), application__student=student)
        attend(placement, ["present"] * 3)
        result_refresh(placement=placement)
        html = home(client, student)

    panel = html.split('id="result-title"')[1].split("</section>")[0]
    assert "Not complete yet" in panel
    assert "after the final evaluation" in panel and "when the placement is over" in panel


def test_the_certificate_step_is_done_with_a_download_link_once_issued(client, student, staff):
    _cohort, [result] = confirmed_cohort(staff, student)
    certificate = certificate_issue(result=result, by=staff)

    html = home(client, student)

    assert [state for _i, state, _t in journey(html)][:6] == ["done"] * 6
    assert f'href="{reverse("evaluations:certificate_pdf")}"' in html
    assert "provisional" not in html

    certificate_revoke(certificate=certificate, reason="Issued in error", by=staff)
    html = home(client, student)
    assert step(html, "Certificate")[0] == "current"
    assert reverse("evaluations:certificate_pdf") not in html


def test_the_journey_reads_in_chinese(client, student, staff):
    student.language = "zh-hans"
    student.save()
    _cohort, [result] = confirmed_cohort(staff, student)
    certificate_issue(result=result, by=staff)

    html = home(client, student)

    assert "我的项目成绩" in html and "良好" in html and "下载我的结业证书（PDF）" in html
    assert "导师每周评分" in html and "第 1 周" in html and "结业评价" in html


@pytest.mark.parametrize("size", [2, 12])
def test_the_student_home_with_a_result_certificate_and_chart_makes_an_exact_number_of_queries(
    client, django_assert_num_queries, student, staff, size
):
    _cohort, [result] = confirmed_cohort(staff, student)
    certificate_issue(result=result, by=staff)
    NotificationFactory.create_batch(size, user=student)
    client.force_login(student)

    # session, user, bell; progress (4), applications, placement, open cohorts, courses, profile,
    # placement cut-off, the calendar token (created on this first visit: 4 with its savepoint);
    # and this journey's own three: the released scores, the result with its certificate, and
    # the recommendation to Xiaomi
    with django_assert_num_queries(20):
        response = client.get(reverse("dashboards:student_home"))

    assert response.status_code == 200
