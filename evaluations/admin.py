"""The Django admin's view of the assessment (read mostly: the pages are where people work)."""

from django.contrib import admin

from .models import Certificate, Criterion, Evaluation, ProgrammeResult, Reflection, Rubric, Score


class CriterionInline(admin.StackedInline):
    model = Criterion
    extra = 0


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ("cohort", "version", "created_at")
    inlines = [CriterionInline]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ("placement", "period", "status", "submitted_at", "released_at")
    list_filter = ("status", "period")
    raw_id_fields = ("placement", "rubric", "author")
    inlines = [ScoreInline]


@admin.register(Reflection)
class ReflectionAdmin(admin.ModelAdmin):
    list_display = ("placement", "week", "submitted_at", "replied_at")
    raw_id_fields = ("placement", "replied_by")


@admin.register(ProgrammeResult)
class ProgrammeResultAdmin(admin.ModelAdmin):
    list_display = ("placement", "total", "computed_band", "band")
    list_filter = ("band",)
    raw_id_fields = ("placement",)


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("code", "student_name", "band", "issued_at", "revoked_at")
    search_fields = ("code", "student_name")
    raw_id_fields = ("result",)
