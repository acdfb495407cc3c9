from django.contrib import admin

from parcours.notifications.models import Notification, SentMail


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "created_at", "read_at"]
    raw_id_fields = ["user"]


@admin.register(SentMail)
class SentMailAdmin(admin.ModelAdmin):
    list_display = ["to", "subject", "template", "sent_at", "success"]
    list_filter = ["template", "success"]
