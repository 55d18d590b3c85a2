"""The monitor's pages for the network: dashboard and a page per municipality."""

from django.urls import path

from waardig.monitor import views

urlpatterns = [
    path("", views.Dashboard.as_view(), name="monitor-dashboard"),
    path("prognoses/nieuw/", views.ForecastCreate.as_view(), name="forecast-create"),
    path("gemeente/<str:code>/", views.MunicipalityPage.as_view(), name="monitor-municipality"),
]
