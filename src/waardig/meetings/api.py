"""Bodies, meetings, agenda items, outcomes and action items under /api/v1/."""

from rest_framework import routers

router = routers.SimpleRouter(trailing_slash=True)
urlpatterns = router.urls
