"""Pages of rubrics."""

urlpatterns: list = []
