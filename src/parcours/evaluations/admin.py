from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from parcours.evaluations import models


@admin.register(models.EvaluationPeriod)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["academic_year", "number", "start", "end", "session_ouverte_until"]


@admin.register(models.DepartmentPeriod)
class DepartmentPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["period", "department", "encoding_deadline", "timetable_published_on"]


@admin.register(models.Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "period", "date", "start_time", "place", "form"]
    list_filter = ["period", "form"]
    raw_id_fields = ["activity"]


@admin.register(models.ScoreSheet)
class ScoreSheetAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "period", "status", "submitted_at"]
    list_filter = ["period", "status"]
    raw_id_fields = ["activity", "evaluators", "submitted_by"]


@admin.register(models.ActivityNote)
class ActivityNoteAdmin(SimpleHistoryAdmin):
    list_display = ["sheet", "student", "note", "code", "source", "may_sit"]
    raw_id_fields = ["sheet", "student", "encoded_by"]


@admin.register(models.UEResult)
class UEResultAdmin(SimpleHistoryAdmin):
    list_display = ["student", "ue", "period", "note", "code", "acquired", "published_at"]
    list_filter = ["period", "acquired"]
    raw_id_fields = ["student", "ue", "published_by"]


@admin.register(models.Absence)
class AbsenceAdmin(SimpleHistoryAdmin):
    list_display = ["student", "evaluation", "kind", "status", "declared_on"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["student", "evaluation", "proof", "decided_by"]


for model in (models.FraudDecision, models.RetakeChoice, models.SessionOuverte, models.CopyConsultation,
              models.Procuration):
    admin.site.register(model, SimpleHistoryAdmin if hasattr(model, "history") else admin.ModelAdmin)


@admin.register(models.CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["user"]
    readonly_fields = ["token"]
    raw_id_fields = ["user"]


@admin.register(models.ExtraAttempt)
class ExtraAttemptAdmin(SimpleHistoryAdmin):
    list_display = ["student", "ue", "period", "decided_by", "decided_at"]
    raw_id_fields = ["student", "ue", "decided_by"]


@admin.register(models.Assessor)
class AssessorAdmin(SimpleHistoryAdmin):
    list_display = ["sheet", "user", "origin", "requested_on", "designated_by"]
    raw_id_fields = ["sheet", "user", "student", "designated_by"]
