"""Every status change — bulk ones included — writes its history row and its audit event: no bare
queryset.update(status=…) in the code (it writes neither); audit.services.set_status_each does it row by row."""

import ast
from pathlib import Path

from parcours.admissions import programme
from parcours.admissions.models import AdmissionRequest, PaeProposal
from parcours.audit.models import AuditEvent

SRC = Path(__file__).resolve().parents[2] / "src" / "parcours"
# The daily job's consequences (art. 48-49) are being rewritten by issue 13 with their history rows.
PENDING = {("admissions/payments.py", "apply_payment_deadlines")}


def bare_status_updates():
    found = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(func):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update"
                        and any(k.arg == "status" for k in node.keywords)):
                    found.append((path.relative_to(SRC).as_posix(), func.name))
    return found


def test_no_bulk_status_change_without_history():
    assert [f for f in bare_status_updates() if f not in PENDING] == []


def test_a_replaced_pae_proposal_keeps_its_history_and_audit(world, registered, bloc1):
    actor = world.users["commission_admission"]
    first = programme.propose_pae(actor=actor, registration_id=registered.pk, ue_ids=[u.pk for u in bloc1])
    programme.propose_pae(actor=actor, registration_id=registered.pk, ue_ids=[u.pk for u in bloc1[:5]])
    first.refresh_from_db()
    assert first.status == "retiree"
    assert first.history.first().status == first.status and first.history.count() == 2
    assert AuditEvent.objects.filter(action="admissions.pae.withdrawn", target_id=str(first.pk)).exists()
    assert AdmissionRequest.objects.filter(registration=registered).exists() and PaeProposal.objects.count() == 2
