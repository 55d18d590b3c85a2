"""Indicators, observations and forecasts under /api/v1/ (filled in by the API work)."""

from rest_framework import routers

router = routers.SimpleRouter(trailing_slash=True)
urlpatterns = router.urls
