"""Pages of the meetings app, under /overleg/."""

from django.urls import path

from waardig.meetings import action_items, calendar, editing, records, review, views

urlpatterns: list = [
    # pages (meetings.views)
    path("", views.BodyList.as_view(), name="body-list"),
    path("nieuw/", editing.BodyEdit.as_view(), name="body-create"),
    path("actiepunten/", action_items.ActionItemList.as_view(), name="action-item-list"),
    path(
        "actiepunten/<int:pk>/",
        action_items.ActionItemDetail.as_view(),
        name="action-item-detail",
    ),
    path(
        "actiepunten/<int:pk>/wijzigen/",
        action_items.ActionItemEdit.as_view(),
        name="action-item-update",
    ),
    path(
        "actiepunten/<int:pk>/notitie/",
        action_items.FollowUpCreate.as_view(),
        name="action-item-follow-up",
    ),
    path(
        "actiepunten/<int:pk>/afsluiten/",
        action_items.ActionItemClose.as_view(),
        name="action-item-close",
    ),
    path("stukken/<int:pk>/", views.DocumentDownload.as_view(), name="document-download"),
    path("stukken/<int:pk>/verwijderen/", records.DocumentDelete.as_view(), name="document-delete"),
    path("<slug:slug>/", views.BodyDetail.as_view(), name="body-detail"),
    path("<slug:slug>/wijzigen/", editing.BodyEdit.as_view(), name="body-update"),
    path("<slug:slug>/leden/nieuw/", editing.MemberEdit.as_view(), name="body-member-create"),
    path("<slug:slug>/leden/<int:pk>/", editing.MemberEdit.as_view(), name="body-member-update"),
    path(
        "<slug:slug>/leden/<int:pk>/verwijderen/",
        editing.MemberDelete.as_view(),
        name="body-member-delete",
    ),
    path(
        "<slug:slug>/vergaderingen/nieuw/", editing.MeetingCreate.as_view(), name="meeting-create"
    ),
    path(
        "<slug:slug>/vergaderingen/<int:pk>/", views.MeetingDetail.as_view(), name="meeting-detail"
    ),
    path(
        "<slug:slug>/vergaderingen/<int:pk>/wijzigen/",
        editing.MeetingUpdate.as_view(),
        name="meeting-update",
    ),
    path(
        "<slug:slug>/vergaderingen/<int:pk>/aanwezigheid/",
        editing.AttendanceEdit.as_view(),
        name="meeting-attendance",
    ),
    path(
        "<slug:slug>/vergaderingen/<int:pk>/agenda/nieuw/",
        editing.AgendaItemCreate.as_view(),
        name="agenda-item-create",
    ),
    path(
        "<slug:slug>/vergaderingen/<int:pk>/agenda/<int:item>/uitkomst/",
        records.OutcomeCreate.as_view(),
        name="outcome-create",
    ),
    path(
        "<slug:slug>/vergaderingen/<int:pk>/uitkomsten/<int:outcome>/verwijderen/",
        records.OutcomeDelete.as_view(),
        name="outcome-delete",
    ),
    path(
        "<slug:slug>/vergaderingen/<int:pk>/agenda/<int:item>/actiepunt/",
        records.MeetingActionItemCreate.as_view(),
        name="meeting-action-item-create",
    ),
    path(
        "<slug:slug>/vergaderingen/<int:pk>/verslag/",
        records.MinutesEdit.as_view(),
        name="minutes-edit",
    ),
    path(
        "<slug:slug>/vergaderingen/<int:pk>/verslag/vaststellen/",
        records.MinutesFinalise.as_view(),
        name="minutes-finalise",
    ),
    path(
        "<slug:slug>/vergaderingen/<int:pk>/stukken/nieuw/",
        records.DocumentCreate.as_view(),
        name="document-create",
    ),
    # review of imported minutes (meetings.review)
    path("verslagen/inlezen/", review.MinutesImportStart.as_view(), name="minutes-import-start"),
    path("<slug:slug>/verslag-inlezen/", review.MinutesImport.as_view(), name="minutes-import"),
    # calendar feed (meetings.calendar)
    path("<slug:slug>/agenda.ics", calendar.body_calendar, name="body-calendar"),
]
