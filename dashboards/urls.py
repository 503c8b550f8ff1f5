from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("student/", views.student_home, name="student_home"),
    path("staff/", views.staff_home, name="staff_home"),
    path("mentor/", views.mentor_home, name="mentor_home"),
    path("xiaomi/", views.hr_home, name="hr_home"),
]
