from django.contrib import admin

from parcours.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "started_by", "status", "done", "total", "created_at"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["started_by"]
    ordering = ["-created_at"]
