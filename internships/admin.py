from django.contrib import admin

from .models import Cohort, Mentor, Store


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "status", "applications_open_on", "applications_close_on"]
    list_filter = ["status"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "district", "is_active", "is_training_store"]
    list_filter = ["district", "is_active", "is_training_store"]
    search_fields = ["code", "name_zh", "name_en", "address_zh"]


@admin.register(Mentor)
class MentorAdmin(admin.ModelAdmin):
    list_display = ["user", "store", "certified_on", "certification_expires_on", "capacity"]
    list_filter = ["store__district"]
    search_fields = ["user__full_name", "user__email", "store__name_zh"]
    raw_id_fields = ["user"]
    list_select_related = ["user", "store"]
