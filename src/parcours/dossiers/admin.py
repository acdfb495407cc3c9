from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from parcours.dossiers.models import DocumentSlot, Dossier, StoredFile


class SlotInline(admin.TabularInline):
    model = DocumentSlot
    extra = 0
    raw_id_fields = ["file", "reviewed_by"]


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ["title", "student", "kind", "status", "updated_at"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["student"]
    inlines = [SlotInline]


@admin.register(DocumentSlot)
class DocumentSlotAdmin(SimpleHistoryAdmin):
    list_display = ["label", "dossier", "status", "due_date"]
    list_filter = ["status"]
    raw_id_fields = ["dossier", "file", "reviewed_by"]
    # The model's ordering ("dossier", i.e. the dossiers' -updated_at) sorts every slot through a join;
    # the primary key is an index walk, and the row labels need their dossier and student in the same query.
    ordering = ["-id"]
    list_select_related = ["dossier__student__user"]
    show_full_result_count = False


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["stored_name", "sha256"]
