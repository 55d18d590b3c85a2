"""The housing API: locations, head counts, guest stays, projects, agreements, need, policy."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

urlpatterns = router.urls
