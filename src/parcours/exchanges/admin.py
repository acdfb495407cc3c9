from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from parcours.exchanges.models import (
    AgreementLine,
    Call,
    Candidature,
    Choice,
    Destination,
    Evaluation,
    GrantRate,
    HostCourse,
    LearningAgreement,
    MobilityFile,
    Reception,
)


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


class LineInline(admin.TabularInline):
    model = AgreementLine
    extra = 0


@admin.register(MobilityFile)
class MobilityFileAdmin(SimpleHistoryAdmin):
    list_display = ["candidature", "phase", "planned_start", "planned_end"]
    list_filter = ["phase"]


@admin.register(LearningAgreement)
class LearningAgreementAdmin(admin.ModelAdmin):
    list_display = ["file", "version", "status", "student_signed_at", "sending_signed_at", "receiving_signed_at"]
    inlines = [LineInline]


admin.site.register(AgreementLine)


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ["candidature", "member", "institution", "score"]


@admin.register(HostCourse)
class HostCourseAdmin(admin.ModelAdmin):
    list_display = ["host", "code", "title", "ects", "semester"]
    list_filter = ["host"]


@admin.register(GrantRate)
class GrantRateAdmin(SimpleHistoryAdmin):
    list_display = ["institution", "purpose", "group", "monthly", "fwb_topup_monthly", "first_instalment_percent"]
