"""The assessment's URLs: each views module lists its own (so areas are edited apart)."""

from .views import certificates, evaluations, overview, reflections, results, rubrics

app_name = "evaluations"

urlpatterns = [
    *overview.urlpatterns,
    *rubrics.urlpatterns,
    *evaluations.urlpatterns,
    *reflections.urlpatterns,
    *results.urlpatterns,
    *certificates.urlpatterns,
]
