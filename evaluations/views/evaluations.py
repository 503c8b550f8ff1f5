"""Pages of evaluations."""

urlpatterns: list = []
