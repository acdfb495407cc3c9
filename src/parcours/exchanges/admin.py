from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from parcours.exchanges.models import Call, Candidature, Choice, Destination, Reception


class DestinationInline(admin.TabularInline):
    model = Destination
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "mobility_year", "deadline", "deadline_canada"]
    inlines = [DestinationInline]


@admin.register(Candidature)
class CandidatureAdmin(SimpleHistoryAdmin):
    list_display = ["student", "call", "status", "score", "destination", "managing_institution"]
    list_filter = ["status", "call"]
    raw_id_fields = ["student", "dossier"]


admin.site.register(Destination)
admin.site.register(Choice)
admin.site.register(Reception)
