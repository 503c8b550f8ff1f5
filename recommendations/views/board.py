"""Pages of the board side (placeholder: filled by its area)."""

urlpatterns = []
