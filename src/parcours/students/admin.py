from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from parcours.students.models import AcquiredCredit, PaeEntry, PastRegistration, Registration, Student


class PastInline(admin.TabularInline):
    model = PastRegistration
    extra = 0


@admin.register(Student)
class StudentAdmin(SimpleHistoryAdmin):
    list_display = ["matricule", "user", "grant_status", "condition_modeste", "non_eu"]
    list_filter = ["grant_status", "condition_modeste", "non_eu"]
    search_fields = ["matricule", "user__last_name", "user__email"]
    raw_id_fields = ["user"]
    inlines = [PastInline]


class PaeInline(admin.TabularInline):
    model = PaeEntry
    extra = 0
    raw_id_fields = ["ue"]


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    list_display = ["student", "programme", "academic_year", "bloc", "status"]
    list_filter = ["status", "academic_year", "bloc"]
    raw_id_fields = ["student"]
    inlines = [PaeInline]


@admin.register(AcquiredCredit)
class AcquiredCreditAdmin(SimpleHistoryAdmin):
    list_display = ["student", "ue", "note", "valorised", "academic_year"]
    raw_id_fields = ["student", "ue"]


admin.site.register(PastRegistration)


@admin.register(PaeEntry)
class PaeEntryAdmin(admin.ModelAdmin):
    list_display = ["registration", "ue"]
    raw_id_fields = ["registration", "ue"]
