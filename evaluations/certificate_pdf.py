"""The joint certificate as a bilingual A4 PDF (reportlab) with a QR code (segno) to its public
verification page.

The text is set in the TrueType CJK font at `settings.CERTIFICATE_FONT_PATH`, embedded (subset) in
the file, so the student's Chinese name renders in any viewer. Where that file is missing, the
certificate falls back to reportlab's `STSong-Light`, which CJK-capable viewers supply.
"""

import io
import os
from functools import cache

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from .models import Certificate
from .selectors.certificates import code_display

__all__ = ["certificate_pdf", "certificate_verify_url"]

EMBEDDED_FONT = "CertificateCJK"
FALLBACK_FONT = "STSong-Light"
INK = colors.HexColor("#212529")
MUTED = colors.HexColor("#6c757d")
ACCENT = colors.HexColor("#c44f00")  # Xiaomi orange, darkened for contrast on white


@cache
def _font_for(path: str) -> str:
    """Register the certificate's font once per path; the name to draw with."""
    if path and os.path.isfile(path):
        pdfmetrics.registerFont(TTFont(EMBEDDED_FONT, path, subfontIndex=0))
        return EMBEDDED_FONT
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT


def certificate_verify_url(certificate: Certificate) -> str:
    """The absolute address of the certificate's public verification page (what the QR holds)."""
    return settings.SITE_URL.rstrip("/") + reverse("evaluations:verify", args=[certificate.code])


def _in(language: str, function):
    with translation.override(language):
        return str(function())


def _draw_qr(pdf: canvas.Canvas, data: str, x: float, y: float, size: float) -> None:
    """segno makes the code; each dark module is drawn as a vector square (sharp at any zoom)."""
    qr = segno.make(data, error="m")
    rows = list(qr.matrix_iter(scale=1, border=4))  # the quiet zone the standard asks for
    module = size / len(rows)
    pdf.setFillColor(colors.white)
    pdf.rect(x, y, size, size, stroke=0, fill=1)
    pdf.setFillColor(colors.black)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(x + c * module, y + size - (r + 1) * module, module, module, stroke=0, fill=1)


def _fitting(text: str, font: str, size: float, width: float, smallest: float = 7) -> float:
    """The font size, at most `size`, at which `text` fits in `width` (never below `smallest`)."""
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _centred(pdf, text, y, font, size, color=INK):
    page_width = landscape(A4)[0]
    pdf.setFillColor(color)
    pdf.setFont(font, _fitting(text, font, size, page_width - 50 * mm))
    pdf.drawCentredString(page_width / 2, y, text)


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate as PDF bytes (landscape A4), the same whatever the reader's language."""
    font = _font_for(settings.CERTIFICATE_FONT_PATH)
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1, initialFontName=font)
    pdf.setTitle(f"结业证书 Certificate · {certificate.student_name}")
    pdf.setAuthor("深圳技术大学商学院 SZTU Business School × 小米深圳 Xiaomi Shenzhen")
    pdf.setSubject(code_display(certificate.code))

    # frame
    pdf.setStrokeColor(ACCENT)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setLineWidth(0.8)
    pdf.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)

    top = height - 34 * mm
    _centred(pdf, "深圳技术大学商学院  ×  小米深圳分公司", top, font, 15, ACCENT)
    _centred(pdf, "SZTU Business School  ×  Xiaomi Shenzhen", top - 7 * mm, font, 11, ACCENT)
    _centred(pdf, "结业证书", top - 25 * mm, font, 30)
    _centred(pdf, "Certificate of Completion", top - 34 * mm, font, 15, MUTED)

    _centred(pdf, "兹证明 / This is to certify that", top - 48 * mm, font, 11, MUTED)
    _centred(pdf, certificate.student_name, top - 62 * mm, font, 28)
    name_bottom = top - 62 * mm
    if certificate.english_name:
        name_bottom = top - 70 * mm
        _centred(pdf, certificate.english_name, name_bottom, font, 14)

    y = name_bottom - 13 * mm
    _centred(pdf, "完成了新零售人才培养项目（5+3）", y, font, 14)
    _centred(pdf, "has completed the New Retail Talent Programme (5+3)", y - 7 * mm, font, 11)

    band = certificate.band
    band_zh = _in("zh-hans", lambda: Certificate(band=band).get_band_display())
    band_en = _in("en", lambda: Certificate(band=band).get_band_display())
    completed_zh = _in("zh-hans", lambda: formats.date_format(certificate.completed_on, "DATE_FORMAT"))
    completed_en = _in("en", lambda: formats.date_format(certificate.completed_on, "DATE_FORMAT"))
    issued = certificate.reissued_at or certificate.issued_at
    issued_day = timezone.localtime(issued).date()
    issued_zh = _in("zh-hans", lambda: formats.date_format(issued_day, "DATE_FORMAT"))
    issued_en = _in("en", lambda: formats.date_format(issued_day, "DATE_FORMAT"))

    rows = [
        ("期次 Cohort", f"{certificate.cohort_name_zh} / {certificate.cohort_name_en}"),
        ("完成日期 Completed on", f"{completed_zh} / {completed_en}"),
        ("成绩 Result", f"{band_zh} / {band_en}"),
    ]
    y -= 20 * mm
    left = 40 * mm
    value_left, value_width = left + 45 * mm, width - 25 * mm - (left + 45 * mm)
    for label, value in rows:
        pdf.setFillColor(MUTED)
        pdf.setFont(font, 10)
        pdf.drawString(left, y, label)
        pdf.setFillColor(INK)
        # a long value goes on two lines (Chinese, then English) before it gets smaller
        lines = [value] if pdfmetrics.stringWidth(value, font, 12) <= value_width else value.split(" / ", 1)
        for line in lines:
            pdf.setFont(font, _fitting(line, font, 12, value_width))
            pdf.drawString(value_left, y, line)
            y -= 5.5 * mm
        y -= 2.5 * mm

    # verification: code, address, QR in the bottom right corner
    qr_size = 34 * mm
    qr_x, qr_y = width - 22 * mm - qr_size, 22 * mm
    url = certificate_verify_url(certificate)
    _draw_qr(pdf, url, qr_x, qr_y, qr_size)
    pdf.setFillColor(INK)
    pdf.setFont(font, 10)
    text_right = qr_x - 4 * mm
    pdf.drawRightString(text_right, qr_y + 24 * mm, "验证码 Verification code")
    pdf.setFont(font, 14)
    pdf.drawRightString(text_right, qr_y + 17 * mm, code_display(certificate.code))
    pdf.setFont(font, 8)
    pdf.setFillColor(MUTED)
    pdf.drawRightString(text_right, qr_y + 11 * mm, "扫码或访问以下地址验证 · Scan or visit to verify:")
    pdf.drawRightString(text_right, qr_y + 6 * mm, url)

    # issuers and date, bottom left
    pdf.setFillColor(INK)
    pdf.setFont(font, 10)
    pdf.drawString(left, 40 * mm, "深圳技术大学商学院 · SZTU Business School")
    pdf.drawString(left, 34 * mm, "小米深圳分公司 · Xiaomi Shenzhen")
    pdf.setFillColor(MUTED)
    pdf.setFont(font, 9)
    label = "补发日期 Re-issued on" if certificate.reissued_at else "颁发日期 Issued on"
    pdf.drawString(left, 26 * mm, f"{label}: {issued_zh} / {issued_en}")

    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
