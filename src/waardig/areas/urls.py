from django.urls import path

from waardig.areas import views

urlpatterns = [
    path("", views.municipality_list, name="municipality-list"),
    path("<str:code>/", views.municipality_detail, name="municipality-detail"),
]
