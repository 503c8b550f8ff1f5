"""The assessment's pages, one module per area; each module has its own `urlpatterns`."""
