"""Pages of results."""

urlpatterns: list = []
