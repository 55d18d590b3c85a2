"""The housing pages: the gap (the landing page), locations, planning and policy."""

from waardig.housing import gap_views, location_views, planning_views, policy_views

urlpatterns = [
    *gap_views.urlpatterns,
    *location_views.urlpatterns,
    *planning_views.urlpatterns,
    *policy_views.urlpatterns,
]
