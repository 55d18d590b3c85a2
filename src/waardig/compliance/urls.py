"""The supervision pages: overview, norms and checks, signals and scans, inspections."""

from waardig.compliance import inspection_views, norm_views, signal_views

urlpatterns = [
    *signal_views.urlpatterns,
    *norm_views.urlpatterns,
    *inspection_views.urlpatterns,
]
