"""The audit log: exports of personal data are recorded, and the log cannot be rewritten."""

import pytest
from django.test import Client

from waardig.core.models import AppendOnlyError, AuditEntry

pytestmark = pytest.mark.django_db


def test_contact_export_is_logged_with_who_and_what(contacts, users):
    client = Client()
    client.force_login(users["analyst"])
    response = client.get("/export/contacts.xlsx?municipality=GM0983")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="export", subject="contacts")
    assert entry.user == users["analyst"]
    assert "1 regels als xlsx" in entry.detail and "municipality=GM0983" in entry.detail


def test_public_reference_export_is_not_logged(areas):
    assert Client().get("/export/municipalities.csv").status_code == 200
    assert not AuditEntry.objects.filter(action="export").exists()


def test_audit_entries_cannot_be_changed_or_deleted(contacts):
    entry = AuditEntry.objects.first()
    entry.detail = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().update(detail="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(detail="rewritten").count() == 0
