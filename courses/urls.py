from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.my_courses, name="my_courses"),
    path("progress/", views.progress_overview, name="progress_overview"),
    path("students/<int:pk>/", views.student_progress, name="student_progress"),
    path("students/<int:pk>/courses/<str:code>/attempts/", views.attempts_grant, name="attempts_grant"),
    path("<str:code>/", views.course_detail, name="course"),
    path("<str:code>/lessons/<int:order>/", views.lesson_detail, name="lesson"),
    path("<str:code>/lessons/<int:order>/complete/", views.lesson_complete, name="lesson_complete"),
    path("<str:code>/lessons/<int:order>/attachment/", views.lesson_attachment, name="lesson_attachment"),
    path("<str:code>/quiz/", views.quiz, name="quiz"),
    path("<str:code>/quiz/attempts/<int:number>/", views.quiz_result, name="quiz_result"),
]
