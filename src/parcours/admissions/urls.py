from django.urls import path

from parcours.admissions import fees_views, views

urlpatterns = [
    path("demandes/nouvelle/", views.new_request, name="new_request"),
    path("demandes/<int:pk>/", views.request_detail, name="request_detail"),
    path("demandes/<int:pk>/decision/", views.decide, name="request_decide"),
    path("demandes/<int:pk>/paiement/", views.add_payment, name="request_payment"),
    path("demandes/<int:pk>/pae/", views.propose, name="request_pae"),
    path("demandes/<int:pk>/lettre.pdf", views.letter, name="request_letter"),
    path("demandes/<int:pk>/arret/", views.withdraw, name="request_withdraw"),
    path("demandes/<int:pk>/bourse/", views.grant, name="request_grant"),
    path("demandes/<int:pk>/programme/", views.programme_changes, name="request_programme"),
    path("fraudes/", views.fraud_cases, name="fraud_cases"),
    path("pae/<int:pk>/valider/", views.validate, name="pae_validate"),
    path("inscriptions/<int:pk>/recu.pdf", views.receipt, name="receipt"),
    path("admissions/", views.queue, name="admissions_queue"),
    path("admissions/export.csv", views.export, name="admissions_export"),
    path("admissions/import/", fees_views.import_statement, name="admissions_import"),
    path("admissions/import/lignes/<int:pk>/", fees_views.bank_line, name="bank_line"),
    path("droits/", fees_views.my_fees, name="my_fees"),
]
