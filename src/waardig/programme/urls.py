from django.urls import path

from waardig.programme import editing, views

urlpatterns = [
    path("", views.ProgrammeList.as_view(), name="programme-list"),
    path("nieuw/", editing.ProgrammeEdit.as_view(), name="programme-create"),
    path("<slug:slug>/", views.ProgrammeDetail.as_view(), name="programme-detail"),
    path("<slug:slug>/wijzigen/", editing.ProgrammeEdit.as_view(), name="programme-update"),
    path("<slug:slug>/themas/nieuw/", editing.ThemeEdit.as_view(), name="theme-create"),
    path("<slug:slug>/themas/<int:pk>/", editing.ThemeEdit.as_view(), name="theme-update"),
    path("<slug:slug>/acties/nieuw/", editing.ActionEdit.as_view(), name="action-create"),
    path("<slug:slug>/acties/<int:pk>/", views.ActionDetail.as_view(), name="action-detail"),
    path(
        "<slug:slug>/acties/<int:pk>/wijzigen/", editing.ActionEdit.as_view(), name="action-update"
    ),
    path("<slug:slug>/acties/<int:pk>/gegevens/", views.ActionFacts.as_view(), name="action-facts"),
    path(
        "<slug:slug>/acties/<int:pk>/voortgang/",
        views.StatusUpdateCreate.as_view(),
        name="status-update-create",
    ),
    path(
        "<slug:slug>/acties/<int:pk>/mijlpalen/nieuw/",
        editing.MilestoneEdit.as_view(),
        name="milestone-create",
    ),
    path(
        "<slug:slug>/acties/<int:pk>/mijlpalen/<int:milestone>/",
        editing.MilestoneEdit.as_view(),
        name="milestone-update",
    ),
    path("<slug:slug>/begroting/", views.BudgetView.as_view(), name="programme-budget"),
    path(
        "<slug:slug>/begroting/nieuw/", editing.BudgetLineEdit.as_view(), name="budget-line-create"
    ),
    path(
        "<slug:slug>/begroting/<int:pk>/",
        editing.BudgetLineEdit.as_view(),
        name="budget-line-update",
    ),
    path("<slug:slug>/rapporten/", views.ReportsView.as_view(), name="programme-reports"),
    path(
        "<slug:slug>/rapporten/<int:pk>.<str:fmt>",
        views.PublishedDownload.as_view(),
        name="published-report",
    ),
]
