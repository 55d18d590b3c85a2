from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from waardig.core.middleware import allow_inline_styles

api_patterns = [
    path("", include("waardig.areas.api")),
    path("", include("waardig.organisations.api")),
    path("", include("waardig.programme.api")),
    path("", include("waardig.meetings.api")),
    path("", include("waardig.monitor.api")),
    path("", include("waardig.housing.api")),
    path("", include("waardig.compliance.api")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        allow_inline_styles(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
]

urlpatterns = [
    path("", include("waardig.accounts.urls")),
    path("", include("waardig.core.urls")),
    path("gebieden/", include("waardig.areas.urls")),
    path("organisaties/", include("waardig.organisations.urls")),
    path("programma/", include("waardig.programme.urls")),
    path("overleg/", include("waardig.meetings.urls")),
    path("monitor/", include("waardig.monitor.urls")),
    path("cijfers/", include("waardig.monitor.public_urls")),
    path("huisvesting/", include("waardig.housing.urls")),
    path("toezicht/", include("waardig.compliance.urls")),
    path("api/v1/", include((api_patterns, "api"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
]

handler403 = "waardig.core.errors.forbidden"
handler404 = "waardig.core.errors.not_found"
handler500 = "waardig.core.errors.server_error"
