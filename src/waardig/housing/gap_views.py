"""Placeholder: filled in by the gap pages."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("", lambda request: HttpResponse("gap"), name="housing-gap")]
