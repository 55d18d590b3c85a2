"""The compliance API (filled in by its own part)."""

from rest_framework import routers

router = routers.SimpleRouter(trailing_slash=True)
urlpatterns = router.urls
