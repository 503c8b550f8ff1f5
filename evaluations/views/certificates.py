"""Pages of certificates."""

urlpatterns: list = []
