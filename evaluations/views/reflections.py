"""Pages of reflections."""

urlpatterns: list = []
