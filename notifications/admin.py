from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Notification, Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "due_at", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient__email", "recipient__full_name", "kind"]
    readonly_fields = [f.name for f in Reminder._meta.fields] + ["message_id"]
    list_select_related = ["recipient"]
    actions = ["retry"]

    @admin.action(description=_("Retry the selected failed reminders"))
    def retry(self, request, queryset):
        count = sum(
            services.reminder_retry(reminder=r) for r in queryset.filter(status=Reminder.Status.FAILED)
        )
        message = ngettext("%(n)s reminder queued again.", "%(n)s reminders queued again.", count)
        self.message_user(request, message % {"n": count}, messages.SUCCESS)

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["user__email", "title"]
    raw_id_fields = ["user", "reminder"]
