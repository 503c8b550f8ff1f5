"""The pipeline's URLs: each views module lists its own (so areas are edited apart)."""

from .views import board, staff, student

app_name = "recommendations"

urlpatterns = [
    *staff.urlpatterns,
    *board.urlpatterns,
    *student.urlpatterns,
]
