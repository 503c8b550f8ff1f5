"""Pages of the student side (placeholder: filled by its area)."""

urlpatterns = []
