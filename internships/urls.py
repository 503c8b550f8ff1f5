from django.urls import path

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
]
