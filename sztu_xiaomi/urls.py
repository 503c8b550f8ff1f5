"""Top-level URLs."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from accounts import views as account_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
    path("courses/", include("courses.urls")),
    path("", include("internships.urls")),
    path("", include("evaluations.urls")),
    path("", include("recommendations.urls")),
    path("", include("dashboards.urls")),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico whatever the page links; send them to the icon in static files.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("img/favicon.png")), name="favicon"),
]

handler403 = "accounts.views.permission_denied"
handler404 = "accounts.views.page_not_found"
handler500 = "accounts.views.server_error"
