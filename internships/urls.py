from django.urls import path

from .views import (
    allocation,
    applications,
    attendance,
    calendar,
    cohorts,
    import_export,
    placements,
    registry,
    review,
)

app_name = "internships"

urlpatterns = [
    path("privacy/", applications.privacy_notice, name="privacy"),
    path("profile/", applications.student_profile, name="student_profile"),
    path("apply/<slug:code>/", applications.apply, name="apply"),
    path("applications/<int:pk>/", applications.application_detail, name="application"),
    path("applications/<int:pk>/withdraw/", applications.application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/cv/", applications.application_cv, name="application_cv"),
    path("staff/applications/", review.review_queue, name="review_queue"),
    path("staff/applications/export/", import_export.review_export, name="review_export"),
    path("staff/applications/<int:pk>/", review.review_detail, name="review_detail"),
    path("staff/cohorts/", cohorts.cohort_list, name="cohort_list"),
    path("staff/cohorts/new/", cohorts.cohort_edit, name="cohort_create"),
    path("staff/cohorts/<int:pk>/", cohorts.cohort_edit, name="cohort_edit"),
    path("staff/students/import/", import_export.student_import, name="student_import"),
    path(
        "staff/students/import/template/",
        import_export.student_import_template,
        name="student_import_template",
    ),
    # Placements
    path("xiaomi/stores/", registry.store_list, name="store_list"),
    path("xiaomi/stores/new/", registry.store_edit, name="store_create"),
    path("xiaomi/stores/<int:pk>/", registry.store_edit, name="store_edit"),
    path("xiaomi/mentors/", registry.mentor_list, name="mentor_list"),
    path("xiaomi/mentors/new/", registry.mentor_edit, name="mentor_create"),
    path("xiaomi/mentors/<int:pk>/", registry.mentor_edit, name="mentor_edit"),
    path("cohorts/<int:pk>/seats/", registry.seats_grid, name="seats_grid"),
    path("cohorts/<int:pk>/attendance/", attendance.attendance_gaps, name="attendance_gaps"),
    path("staff/cohorts/<int:pk>/placements/", allocation.placement_board, name="placement_board"),
    path("staff/cohorts/<int:pk>/placements/allocate/", allocation.allocation_start, name="allocation_start"),
    path(
        "staff/cohorts/<int:pk>/placements/publish/", allocation.allocation_publish, name="allocation_publish"
    ),
    path(
        "staff/applications/<int:pk>/exception/",
        allocation.eligibility_exception,
        name="eligibility_exception",
    ),
    path("staff/applications/<int:pk>/place/", placements.placement_create, name="placement_create"),
    path("staff/placements/<int:pk>/", placements.placement_move, name="placement_move"),
    path("staff/placements/<int:pk>/withdraw/", placements.placement_withdraw, name="placement_withdraw"),
    path("mentor/attendance/", attendance.mentor_attendance, name="mentor_attendance"),
    path("mentor/attendance/<int:pk>/", attendance.attendance_mark, name="attendance_mark"),
    path("mentor/attendance/<int:pk>/check-in/", attendance.check_in_confirm, name="check_in_confirm"),
    path("mentor/attendance/<int:pk>/card/", attendance.attendance_card, name="attendance_card"),
    path("placement/check-in/", attendance.check_in, name="check_in"),
    path("placement/check-in/status/", attendance.check_in_status, name="check_in_status"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("calendar/new-address/", calendar.calendar_reset, name="calendar_reset"),
]
