from django.contrib import admin

from .models import Course


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "title_zh", "title_en"]
    ordering = ["order"]
    search_fields = ["code", "title_zh", "title_en"]
