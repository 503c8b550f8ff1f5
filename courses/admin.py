from django.contrib import admin

from .models import AttemptGrant, Choice, Course, Enrolment, Lesson, Question


class LessonInline(admin.StackedInline):
    model = Lesson
    extra = 0
    fields = [("order", "minutes"), ("title_zh", "title_en"), "body_zh", "body_en", "video_url", "attachment"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "kind", "text_zh", "text_en"]
    show_change_link = True


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "title_zh", "title_en", "pass_mark", "quiz_max_attempts"]
    ordering = ["order"]
    search_fields = ["code", "title_zh", "title_en"]
    inlines = [LessonInline, QuestionInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0
    fields = ["order", "text_zh", "text_en", "is_correct"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["course", "order", "kind", "text_zh"]
    list_filter = ["course", "kind"]
    inlines = [ChoiceInline]


class AttemptGrantInline(admin.TabularInline):
    """The log of extra attempts: granted from the student's progress page, never edited here."""

    model = AttemptGrant
    extra = 0
    fields = ["created_at", "extra", "reason", "granted_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    inlines = [AttemptGrantInline]
    list_display = ["student", "course", "due_on", "best_score", "completed_at"]
    list_filter = ["course"]
    search_fields = ["student__email", "student__full_name"]
    raw_id_fields = ["student"]
    list_select_related = ["student", "course"]
