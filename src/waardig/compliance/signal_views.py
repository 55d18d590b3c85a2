"""Placeholder: filled in by its own part."""

from django.http import HttpResponse
from django.urls import path


def placeholder(request):
    return HttpResponse("Toezicht")


urlpatterns: list = [
    path("", placeholder, name="compliance-home"),
    path("signalen/", placeholder, name="compliance-signal-list"),
    path("scans/", placeholder, name="compliance-scans"),
]
