from django.contrib import admin

from waardig.organisations.models import ContactPerson, Membership, Organisation, Person


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "phone"]
    search_fields = ["name", "email"]
    inlines = [MembershipInline]


@admin.register(ContactPerson)
class ContactPersonAdmin(admin.ModelAdmin):
    list_display = ["municipality", "topic", "person", "function", "updated_at"]
    list_filter = ["topic", "municipality"]
    search_fields = ["person__name", "person__email"]
