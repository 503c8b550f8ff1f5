"""Pages of the staff side (placeholder: filled by its area)."""

urlpatterns = []
