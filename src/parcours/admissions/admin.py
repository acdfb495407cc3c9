from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from parcours.admissions.models import AdmissionRequest, BankTransaction, FraudCase, PaeProposal, Payment


@admin.register(AdmissionRequest)
class AdmissionRequestAdmin(SimpleHistoryAdmin):
    list_display = ["student", "programme", "kind", "status", "submitted_on", "final_request_on", "decided_on"]
    list_filter = ["status", "kind", "academic_year"]
    raw_id_fields = ["student", "dossier", "registration", "decided_by"]
    search_fields = ["student__matricule", "student__user__last_name"]


@admin.register(Payment)
class PaymentAdmin(SimpleHistoryAdmin):
    list_display = ["registration", "amount", "paid_on", "method", "reference"]
    list_filter = ["method"]
    raw_id_fields = ["registration", "recorded_by"]
    search_fields = ["reference", "registration__student__matricule"]


@admin.register(PaeProposal)
class PaeProposalAdmin(SimpleHistoryAdmin):
    list_display = ["registration", "status", "proposed_at", "validated_on"]
    list_filter = ["status"]
    raw_id_fields = ["registration", "proposed_by"]


@admin.register(FraudCase)
class FraudCaseAdmin(SimpleHistoryAdmin):
    list_display = ["student", "academic_year", "status", "reported_on", "hearing_on", "decided_on"]
    list_filter = ["status"]
    raw_id_fields = ["student"]


@admin.register(BankTransaction)
class BankTransactionAdmin(SimpleHistoryAdmin):
    list_display = ["booked_on", "amount", "communication", "status", "source", "reference"]
    list_filter = ["status", "source"]
    raw_id_fields = ["payment", "imported_by"]
    search_fields = ["reference", "communication", "counterparty"]
