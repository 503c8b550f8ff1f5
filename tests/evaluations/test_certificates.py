"""Certificates: issued only for a confirmed pass, with the certified facts and an unguessable
unique code; re-issued under the same code after a correction; revoked with a reason; the
student is told; the PDF carries the Chinese name in an embedded CJK font."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from evaluations.certificate_pdf import FALLBACK_FONT, certificate_pdf, certificate_verify_url
from evaluations.models import Band, Certificate, ProgrammeResult
from evaluations.reminders.certificates import CERTIFICATE_ISSUED
from evaluations.selectors import CODE_ALPHABET, certificate_verify, code_display
from evaluations.services import (
    certificate_code_new,
    certificate_issue,
    certificate_reissue,
    certificate_revoke,
    certificates_issue,
    result_override,
    result_refresh,
    results_confirm,
)
from notifications.models import Reminder
from tests.conftest import skip_or_fail
from tests.factories import StudentFactory

from .results_world import cohort_with_plan, complete_placement, travel

pytestmark = pytest.mark.django_db


def confirmed_cohort(staff, *students):
    """A finished cohort whose results (merit, 80 points, unless told) are confirmed."""
    with travel():
        cohort = cohort_with_plan(name_zh="2026年秋季班", name_en="Autumn 2026")
        placements = [complete_placement(cohort, application__student=s) for s in students]
        results_confirm(cohort=cohort, by=staff)
    return cohort, [ProgrammeResult.objects.get(placement=p) for p in placements]


@pytest.fixture
def graduate(db):
    return StudentFactory(full_name="王小明", english_name="Wang Xiaoming", language="zh-hans")


def test_a_certificate_copies_the_certified_facts_and_tells_the_student(staff, graduate):
    _cohort, [result] = confirmed_cohort(staff, graduate)
    with travel():
        certificate = certificate_issue(result=result, by=staff)

    assert (certificate.student_name, certificate.english_name) == ("王小明", "Wang Xiaoming")
    assert (certificate.cohort_name_zh, certificate.cohort_name_en) == ("2026年秋季班", "Autumn 2026")
    assert certificate.band == Band.MERIT
    assert certificate.completed_on.isoformat() == "2026-12-11"
    assert certificate.issued_at and certificate.reissued_at is None and not certificate.is_revoked
    [reminder] = Reminder.objects.filter(kind=CERTIFICATE_ISSUED)
    assert reminder.recipient == graduate and reminder.subject_id == certificate.pk


def test_issuing_twice_returns_the_same_certificate(staff, graduate):
    _cohort, [result] = confirmed_cohort(staff, graduate)
    first = certificate_issue(result=result, by=staff)

    assert certificate_issue(result=result, by=staff) == first
    assert Certificate.objects.count() == 1


def test_no_certificate_before_the_results_are_confirmed(staff, graduate):
    with travel():
        placement = complete_placement(cohort_with_plan(), application__student=graduate)
        result_refresh(placement=placement)

    with pytest.raises(ValidationError, match="Confirm the cohort's results"):
        certificate_issue(result=ProgrammeResult.objects.get(placement=placement), by=staff)
    assert not Certificate.objects.exists()


def test_no_certificate_for_a_result_that_is_not_a_pass(staff, graduate):
    _cohort, [result] = confirmed_cohort(staff, graduate)
    result_override(result=result, band=Band.NOT_PASSED, reason="Plagiarised reflection", by=staff)

    with pytest.raises(ValidationError, match="Only a distinction, merit or pass"):
        certificate_issue(result=result, by=staff)
    assert not Certificate.objects.exists()


def test_issuing_for_a_cohort_certifies_everyone_who_passed_once(staff, graduate, student, other_student):
    cohort, [passed, also_passed, failed] = confirmed_cohort(staff, graduate, student, other_student)
    result_override(result=failed, band=Band.NOT_PASSED, reason="Absent for week 3", by=staff)

    assert certificates_issue(cohort=cohort, by=staff) == 2
    assert certificates_issue(cohort=cohort, by=staff) == 0
    assert set(Certificate.objects.values_list("result", flat=True)) == {passed.pk, also_passed.pk}


def test_codes_are_16_characters_without_look_alikes_and_unique():
    codes = {certificate_code_new() for _ in range(2000)}

    assert len(codes) == 2000
    assert all(len(code) == 16 and set(code) <= set(CODE_ALPHABET) for code in codes)
    assert not set("01OI") & set(CODE_ALPHABET) and len(CODE_ALPHABET) == 32  # 16 × 5 = 80 bits
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", code_display(codes.pop()))


def test_the_database_keeps_codes_unique(staff, graduate, student):
    _cohort, [first, second] = confirmed_cohort(staff, graduate, student)
    issued = certificate_issue(result=first, by=staff)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            result=second,
            code=issued.code,
            student_name="x",
            cohort_name_zh="x",
            cohort_name_en="x",
            band=Band.PASS,
            completed_on=issued.completed_on,
            issued_at=timezone.now(),
        )


def test_a_code_collision_draws_a_new_code(staff, graduate, student, monkeypatch):
    _cohort, [first, second] = confirmed_cohort(staff, graduate, student)
    taken = certificate_issue(result=first, by=staff).code
    draws = iter([taken, "ABCDEFGHJKLMNPQR"])
    monkeypatch.setattr("evaluations.services.certificates.certificate_code_new", lambda: next(draws))

    assert certificate_issue(result=second, by=staff).code == "ABCDEFGHJKLMNPQR"


def test_a_reissue_keeps_the_code_and_updates_the_facts(staff, graduate):
    _cohort, [result] = confirmed_cohort(staff, graduate)
    certificate = certificate_issue(result=result, by=staff)
    graduate.full_name = "王晓明"  # a typo in the name, corrected
    graduate.save()

    with travel():
        reissued = certificate_reissue(certificate=certificate, by=staff)

    assert reissued.code == certificate.code
    assert reissued.student_name == "王晓明"
    assert reissued.reissued_at is not None


def test_an_override_to_another_pass_band_reissues_the_certificate(staff, graduate):
    _cohort, [result] = confirmed_cohort(staff, graduate)
    certificate = certificate_issue(result=result, by=staff)

    result_override(result=result, band=Band.DISTINCTION, reason="Regional sales award", by=staff)

    certificate.refresh_from_db()
    assert certificate.band == Band.DISTINCTION and certificate.reissued_at is not None


def test_a_failing_override_needs_the_certificate_revoked_first(staff, graduate):
    _cohort, [result] = confirmed_cohort(staff, graduate)
    certificate = certificate_issue(result=result, by=staff)

    with pytest.raises(ValidationError) as error:
        result_override(result=result, band=Band.NOT_PASSED, reason="Misconduct", by=staff)
    assert "revoke" in error.value.message_dict["band"][0]

    certificate_revoke(certificate=certificate, reason="Misconduct found after issue", by=staff)
    result_override(result=result, band=Band.NOT_PASSED, reason="Misconduct", by=staff)
    result.refresh_from_db()
    assert result.band == Band.NOT_PASSED


def test_revoking_needs_a_reason_and_stops_the_notice(staff, graduate):
    _cohort, [result] = confirmed_cohort(staff, graduate)
    certificate = certificate_issue(result=result, by=staff)

    with pytest.raises(ValidationError):
        certificate_revoke(certificate=certificate, reason=" ", by=staff)
    certificate.refresh_from_db()
    assert not certificate.is_revoked

    certificate_revoke(certificate=certificate, reason="Issued in error", by=staff)
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_reason == "Issued in error"
    from notifications.kinds import get

    assert get(CERTIFICATE_ISSUED).still_due(Reminder.objects.get(kind=CERTIFICATE_ISSUED)) is False
    with pytest.raises(ValidationError):
        certificate_reissue(certificate=certificate, by=staff)


@pytest.mark.parametrize(
    "typed",
    ["{code}", "{lower}", "{display}", " {spaced} ", "{lower_display}"],
)
def test_the_code_is_found_however_it_is_typed(staff, graduate, typed):
    _cohort, [result] = confirmed_cohort(staff, graduate)
    code = certificate_issue(result=result, by=staff).code
    text = typed.format(
        code=code,
        lower=code.lower(),
        display=code_display(code),
        spaced=" ".join(code_display(code).split("-")),
        lower_display=code_display(code).lower(),
    )

    assert certificate_verify(text).code == code


def test_a_similar_code_finds_nothing(staff, graduate):
    _cohort, [result] = confirmed_cohort(staff, graduate)
    code = certificate_issue(result=result, by=staff).code
    other = "2" if code[-1] != "2" else "3"

    assert certificate_verify(code[:-1] + other) is None
    assert certificate_verify(code[:15]) is None
    assert certificate_verify(code + "2") is None
    assert certificate_verify(code[:8]) is None
    assert certificate_verify("") is None


# --- The PDF ------------------------------------------------------------------------------------


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        skip_or_fail(f"{tool} not found (apt-get install poppler-utils)")
    return path


def test_the_pdf_embeds_a_cjk_font_and_carries_the_chinese_name_code_and_qr_address(
    staff, graduate, tmp_path, settings
):
    settings.SITE_URL = "https://talent.example.org"
    _cohort, [result] = confirmed_cohort(staff, graduate)
    certificate = certificate_issue(result=result, by=staff)
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(certificate_pdf(certificate))

    fonts = subprocess.run(
        [_poppler("pdffonts"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    [font_line] = [line for line in fonts.splitlines() if "CertificateCJK" in line or "WenQuanYi" in line]
    assert "TrueType" in font_line
    assert re.search(r"\byes\s+yes\b", font_line), f"not embedded and subset: {font_line}"
    text = subprocess.run(
        [_poppler("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in [
        "王小明",
        "Wang Xiaoming",
        "2026年秋季班",
        "Autumn 2026",
        "良好",
        "Merit",
        "结业证书",
        "深圳技术大学商学院",
        "Xiaomi Shenzhen",
        code_display(certificate.code),
        certificate_verify_url(certificate),
    ]:
        assert expected in text, expected
    assert certificate_verify_url(certificate) == f"https://talent.example.org/verify/{certificate.code}/"

    subprocess.run(
        [_poppler("pdftoppm"), "-png", "-r", "50", "-singlefile", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    png = (tmp_path / "page.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    keep = Path("/tmp/shots/h3")
    if keep.is_dir():  # for a person to look at
        (keep / "certificate.png").write_bytes(png)


def test_the_qr_code_is_segnos_matrix_for_the_verification_address(settings):
    """The QR is drawn module by module from segno's matrix: one square per dark module."""
    import segno

    from evaluations import certificate_pdf as module

    squares = []

    class Canvas:
        def setFillColor(self, colour):
            pass

        def rect(self, x, y, width, height, stroke, fill):
            squares.append((x, y, width, height))

    url = "https://talent.example.org/verify/ABCDEFGHJKLMNPQR/"
    module._draw_qr(Canvas(), url, 0, 0, 100)

    dark = sum(sum(row) for row in segno.make(url, error="m").matrix)
    assert len(squares) == 1 + dark  # the white background, then each dark module


def test_without_the_font_file_the_pdf_falls_back_to_stsong(staff, graduate, tmp_path):
    _cohort, [result] = confirmed_cohort(staff, graduate)
    certificate = certificate_issue(result=result, by=staff)

    with override_settings(CERTIFICATE_FONT_PATH=str(tmp_path / "missing.ttc")):
        data = certificate_pdf(certificate)

    assert data.startswith(b"%PDF") and FALLBACK_FONT.encode() in data


def test_long_names_and_cohorts_stay_inside_the_frame(tmp_path):
    certificate = Certificate(
        code="39E6Y9CFE8U8DCBR",
        student_name="欧阳娜娜",
        english_name="Nana Ouyang-Smith" * 3,
        cohort_name_zh="2026年秋季新零售人才培养班（第三期·深圳南山）",
        cohort_name_en="Autumn 2026 New Retail Talent Cohort (Intake 3, Nanshan)",
        band=Band.DISTINCTION,
        completed_on=timezone.localdate(),
        issued_at=timezone.now(),
    )
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(certificate_pdf(certificate))

    html = subprocess.run(
        [_poppler("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    page_width = float(re.search(r'<page width="([\d.]+)"', html).group(1))
    frame = page_width - 15 * 72 / 25.4  # the inner frame, 15 mm from the edge
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', html)]
    assert right_edges and max(right_edges) < frame
    assert "Nanshan)" in html
