"""Placeholder: filled in by its own part."""

from django.http import HttpResponse
from django.urls import path


def placeholder(request):
    return HttpResponse("Planning")


urlpatterns: list = [path("planning/", placeholder, name="compliance-planning")]
