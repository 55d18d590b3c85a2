"""Placeholder: filled in by its own part."""

from django.http import HttpResponse
from django.urls import path


def placeholder(request):
    return HttpResponse("Normen")


urlpatterns: list = [path("normen/", placeholder, name="compliance-norm-sets")]
