from django.contrib import admin

from parcours.institutions.models import (
    UE,
    AcademicYear,
    Department,
    Institution,
    LearningActivity,
    Programme,
    Site,
)


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "code"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "domain", "institution"]
    search_fields = ["name", "code"]


admin.site.register(Site)
admin.site.register(AcademicYear)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "type", "cycle", "kind", "department"]
    list_filter = ["kind", "type", "cycle"]
    search_fields = ["name"]


class ActivityInline(admin.TabularInline):
    model = LearningActivity
    extra = 0


@admin.register(UE)
class UEAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "programme", "bloc", "credits", "quadrimestre", "language"]
    list_filter = ["bloc", "programme"]
    search_fields = ["code", "title"]
    filter_horizontal = ["prerequisites", "corequisites", "teachers"]
    inlines = [ActivityInline]


@admin.register(LearningActivity)
class LearningActivityAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "ue", "weight"]
    search_fields = ["code", "title"]
