from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from waardig.accounts.models import User


@admin.register(User)
class WaardigUserAdmin(UserAdmin):
    list_display = ["username", "email", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    filter_horizontal = ["municipalities", "groups", "user_permissions"]
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Waardig", {"fields": ("role", "municipalities", "organisation")}),
    )
