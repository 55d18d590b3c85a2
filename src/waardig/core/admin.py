from django.contrib import admin

from waardig.core.models import AuditEntry, ImportJob
from waardig.core.registry import personal_import_kinds


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ["at", "actor", "action", "subject", "detail"]
    list_filter = ["action"]
    search_fields = ["actor", "subject", "detail"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only, and without the imports of person-level data (guest registers): those are
    seen only by who started them (core.imports.views), never by the province."""

    list_display = ["started_at", "kind", "filename", "actor", "status", "created", "updated"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def get_queryset(self, request):
        personal = personal_import_kinds()
        return super().get_queryset(request).exclude(kind__in=personal)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
