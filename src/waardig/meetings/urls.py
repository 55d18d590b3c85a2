"""Pages of the meetings app, under /overleg/."""

from django.urls import path  # noqa: F401

urlpatterns: list = [
    # pages (meetings.views)
    # review of imported minutes (meetings.review)
    # calendar feed (meetings.calendar)
]
