from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from parcours.juries.models import (
    Attendance,
    Decision,
    DeliberationSession,
    Grant,
    Jury,
    JuryMember,
    MentionRaise,
    MentionSetting,
    Relationship,
)


class MemberInline(admin.TabularInline):
    model = JuryMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Jury)
class JuryAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "president", "secretary", "mention_domain", "mention_kind"]
    list_filter = ["academic_year"]
    inlines = [MemberInline]
    autocomplete_fields = ["president", "secretary", "president_replaces", "president_designated_by"]
    actions = ["add_responsibles"]

    @admin.action(description="Ajouter les responsables d'UE du PAE des étudiants (art. 128)")
    def add_responsibles(self, request, queryset):
        from parcours.juries.services import add_responsibles

        added = sum(add_responsibles(actor=request.user, jury_id=jury.pk) for jury in queryset)
        self.message_user(request, f"Membres ajoutés : {added}.")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # a new jury gets its computed composition (art. 128)
            from parcours.juries.services import add_responsibles

            add_responsibles(actor=request.user, jury_id=obj.pk)


@admin.register(MentionSetting)
class MentionSettingAdmin(SimpleHistoryAdmin):
    """Art. 136: the institution sets the percentage of each mention, per year."""

    list_display = ["academic_year", "satisfaction", "distinction", "grande_distinction", "plus_grande_distinction",
                    "source"]


@admin.register(DeliberationSession)
class SessionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "status", "quorum_valid", "published", "publish_at"]
    list_filter = ["status", "published"]
    readonly_fields = ["status", "quorum_valid", "quorum", "opened_at", "closed_at", "published"]


@admin.register(Grant, Decision, MentionRaise, Relationship)
class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """Decisions are recorded through the jury screens (with quorum and motivation), only read here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(JuryMember)
class JuryMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "jury", "from_responsibilities", "examined"]
    list_filter = ["jury"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    """Attendance is recorded by the jury secretary on the session screen (the quorum follows), only read here."""

    list_display = ["session", "member", "present"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
