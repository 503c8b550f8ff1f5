from django.urls import path

from . import placement_views as pv
from . import views

app_name = "internships"

urlpatterns = [
    path("student/", views.student_home, name="student_home"),
    path("staff/", views.staff_home, name="staff_home"),
    path("mentor/", views.mentor_home, name="mentor_home"),
    path("xiaomi/", views.hr_home, name="hr_home"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("profile/", views.student_profile, name="student_profile"),
    path("apply/<slug:code>/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/cv/", views.application_cv, name="application_cv"),
    path("staff/applications/", views.review_queue, name="review_queue"),
    path("staff/applications/export/", views.review_export, name="review_export"),
    path("staff/applications/<int:pk>/", views.review_detail, name="review_detail"),
    path("staff/cohorts/", views.cohort_list, name="cohort_list"),
    path("staff/cohorts/new/", views.cohort_edit, name="cohort_create"),
    path("staff/cohorts/<int:pk>/", views.cohort_edit, name="cohort_edit"),
    path("staff/students/import/", views.student_import, name="student_import"),
    path("staff/students/import/template/", views.student_import_template, name="student_import_template"),
    # Placements
    path("xiaomi/stores/", pv.store_list, name="store_list"),
    path("xiaomi/stores/new/", pv.store_edit, name="store_create"),
    path("xiaomi/stores/<int:pk>/", pv.store_edit, name="store_edit"),
    path("xiaomi/mentors/", pv.mentor_list, name="mentor_list"),
    path("xiaomi/mentors/new/", pv.mentor_edit, name="mentor_create"),
    path("xiaomi/mentors/<int:pk>/", pv.mentor_edit, name="mentor_edit"),
    path("cohorts/<int:pk>/seats/", pv.seats_grid, name="seats_grid"),
    path("cohorts/<int:pk>/attendance/", pv.attendance_gaps, name="attendance_gaps"),
    path("staff/cohorts/<int:pk>/placements/", pv.placement_board, name="placement_board"),
    path("staff/cohorts/<int:pk>/placements/allocate/", pv.allocation_start, name="allocation_start"),
    path("staff/cohorts/<int:pk>/placements/publish/", pv.allocation_publish, name="allocation_publish"),
    path("staff/applications/<int:pk>/exception/", pv.eligibility_exception, name="eligibility_exception"),
    path("staff/applications/<int:pk>/place/", pv.placement_create, name="placement_create"),
    path("staff/placements/<int:pk>/", pv.placement_move, name="placement_move"),
    path("staff/placements/<int:pk>/withdraw/", pv.placement_withdraw, name="placement_withdraw"),
    path("mentor/attendance/", pv.mentor_attendance, name="mentor_attendance"),
    path("mentor/attendance/<int:pk>/", pv.attendance_mark, name="attendance_mark"),
    path("mentor/attendance/<int:pk>/check-in/", pv.check_in_confirm, name="check_in_confirm"),
    path("mentor/attendance/<int:pk>/card/", pv.attendance_card, name="attendance_card"),
    path("placement/check-in/", pv.check_in, name="check_in"),
    path("placement/check-in/status/", pv.check_in_status, name="check_in_status"),
    path("calendar/<str:token>.ics", pv.calendar_feed, name="calendar_feed"),
    path("calendar/new-address/", pv.calendar_reset, name="calendar_reset"),
]
