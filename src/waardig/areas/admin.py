from django.contrib import admin

from waardig.areas.models import Grouping, Municipality, Province, Region


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province", "valid_from", "valid_to", "successor"]
    list_filter = ["province"]
    search_fields = ["code", "name"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "grouping"]
    filter_horizontal = ["municipalities"]


admin.site.register(Province)
admin.site.register(Grouping)
