from django.urls import path

from waardig.organisations import views

urlpatterns = [
    path("", views.OrganisationList.as_view(), name="organisation-list"),
    path("<int:pk>/", views.OrganisationDetail.as_view(), name="organisation-detail"),
    path("contactpersonen/", views.ContactList.as_view(), name="contact-list"),
    path("contactpersonen/nieuw/", views.ContactCreate.as_view(), name="contact-create"),
    path(
        "contactpersonen/<int:pk>/wijzigen/", views.ContactUpdate.as_view(), name="contact-update"
    ),
    path(
        "contactpersonen/<int:pk>/verwijderen/",
        views.ContactDelete.as_view(),
        name="contact-delete",
    ),
]
