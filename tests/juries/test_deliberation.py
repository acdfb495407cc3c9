"""Quorum, conflicts, grants, first-year success, mentions, closing into the student record (art. 67, 128-136)."""

from decimal import Decimal

import pytest

from parcours.juries import selectors, services
from parcours.juries.models import JuryMember, MentionSetting
from parcours.juries.services import JuryError
from parcours.regulation import financabilite
from parcours.students.models import AcquiredCredit, PastRegistration
from tests.factories import UserFactory
from tests.juries.conftest import BLOC1, open_with


def _ten_teachers(w):
    for i in range(4):
        services.set_member(actor=w.secretary, jury_id=w.jury.pk, user=UserFactory(email=f"extra{i}@test.helha.be"),
                            present_in_jury=True, examined=True)
    return [m.user for m in w.jury.members.filter(examined=True)]


@pytest.mark.article("128")
def test_quorum_five_of_ten_refused_six_of_ten_reached(jw):
    teachers = _ten_teachers(jw)
    assert len(teachers) == 10
    session = open_with(jw, 2, [jw.president, jw.secretary] + teachers[:5])
    assert not session.quorum_valid
    assert "Enseignants présents : 5 sur 10" in " ".join(r["text"] for r in session.quorum["reasons"])
    with pytest.raises(JuryError, match="quorum n'est pas atteint"):
        services.grant_credits(actor=jw.secretary, session_id=session.pk, student_id=jw.students["tom"].pk,
                               ue_id=jw.ues["B1-2"].pk, criteria=["evolution"], motivation="Progrès nets.")
    services.record_attendance(actor=jw.secretary, session_id=session.pk,
                               present_user_ids=[u.pk for u in [jw.president, jw.secretary] + teachers[:6]])
    session.refresh_from_db()
    assert session.quorum_valid


@pytest.mark.article("128")
def test_fewer_than_five_members_never_deliberate(jw):
    JuryMember.objects.filter(jury=jw.jury, user__in=jw.teachers[2:]).delete()
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers[:2])
    assert not session.quorum_valid
    assert any("minimum 5" in r["text"] for r in session.quorum["reasons"])


@pytest.mark.article("131")
def test_barred_member_does_not_count_for_that_student(jw):
    # 6 examining teachers: 4 present is a quorum (4 > 3); without the barred one, 3 is not.
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers[:4])
    assert session.quorum_valid
    barred = jw.teachers[0]
    rel = services.declare_relationship(actor=barred, jury_id=jw.jury.pk, student_id=jw.students["tom"].pk,
                                        kind="parent", degree=4)
    assert rel.barred
    with pytest.raises(JuryError, match="art. 131"):
        services.grant_credits(actor=jw.secretary, session_id=session.pk, student_id=jw.students["tom"].pk,
                               ue_id=jw.ues["B1-2"].pk, criteria=["evolution"], motivation="Progrès nets.")
    # A fifth-degree relative is not barred.
    far = services.declare_relationship(actor=jw.teachers[1], jury_id=jw.jury.pk, student_id=jw.students["lea"].pk,
                                        kind="allie", degree=5)
    assert not far.barred


@pytest.mark.article("134")
def test_grant_refused_after_first_period_accepted_after_second_with_a_criterion(jw):
    session1 = open_with(jw, 1, [jw.president, jw.secretary] + jw.teachers)
    with pytest.raises(JuryError):
        services.grant_credits(actor=jw.secretary, session_id=session1.pk, student_id=jw.students["tom"].pk,
                               ue_id=jw.ues["B1-2"].pk, criteria=["evolution"], motivation="Progrès nets.")
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    tom = jw.students["tom"].pk
    with pytest.raises(JuryError, match="annexe 3"):
        services.grant_credits(actor=jw.secretary, session_id=session.pk, student_id=tom, ue_id=jw.ues["B1-2"].pk,
                               criteria=[], motivation="Progrès nets.")
    with pytest.raises(JuryError, match="motivées"):
        services.grant_credits(actor=jw.secretary, session_id=session.pk, student_id=tom, ue_id=jw.ues["B1-2"].pk,
                               criteria=["evolution"], motivation="  ")
    services.grant_credits(actor=jw.secretary, session_id=session.pk, student_id=tom, ue_id=jw.ues["B1-2"].pk,
                           criteria=["evolution", "compensation"], motivation="Échec limité, moyenne solide.")
    # Double submission is harmless.
    services.grant_credits(actor=jw.secretary, session_id=session.pk, student_id=tom, ue_id=jw.ues["B1-2"].pk,
                           criteria=["evolution"], motivation="bis")
    assert session.grants.count() == 1
    row = next(r for r in selectors.grid(session, student_id=tom)[0].rows if r.ue.code == "B1-2")
    assert row.acquired and row.granted
    assert "B1-2" in session.grants.get().ue.code


@pytest.mark.article("134")
def test_grant_refused_for_pp(jw):
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    with pytest.raises(JuryError, match="PP"):
        services.grant_credits(actor=jw.secretary, session_id=session.pk, student_id=jw.students["tom"].pk,
                               ue_id=jw.ues["B1-3"].pk, criteria=["evolution"], motivation="Absent malade.")


@pytest.mark.article("134")
def test_teacher_who_is_not_an_officer_cannot_grant(jw):
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    with pytest.raises(JuryError, match="président et le secrétaire"):
        services.grant_credits(actor=jw.teachers[0], session_id=session.pk, student_id=jw.students["tom"].pk,
                               ue_id=jw.ues["B1-2"].pk, criteria=["evolution"], motivation="x")


@pytest.mark.article("67 §1")
def test_first_year_success_with_and_without_valorised_credits(jw):
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    lea = selectors.grid(session, student_id=jw.students["lea"].pk)[0]
    assert lea.first_year_passed is True and lea.credits_acquired == 60
    # Noa has 50 bloc-1 credits in the PAE, all passed, and B1-6 valorised: success after valorisation.
    noa = jw.enrol("noa", 1, BLOC1[:5])
    for code in BLOC1[:5]:
        jw.result(noa, code, Decimal(12))
    p = selectors.grid(session, student_id=noa.pk)[0]
    assert p.first_year_passed is False
    AcquiredCredit.objects.create(student=noa, ue=jw.ues["B1-6"], academic_year="2023-2024", valorised=True)
    p = selectors.grid(session, student_id=noa.pk)[0]
    assert p.first_year_passed is True


def _thresholds(jw, satisfaction):
    MentionSetting.objects.create(academic_year=jw.year, satisfaction=Decimal(satisfaction), distinction=Decimal(75),
                                  grande_distinction=Decimal(80), plus_grande_distinction=Decimal(85),
                                  source="Test : choix de l'établissement")


@pytest.mark.article("136")
def test_mention_pending_until_the_institution_sets_it(jw):
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    eva = selectors.grid(session, student_id=jw.students["eva"].pk)[0]
    assert eva.degree and eva.mention_label == "à fixer par l'établissement"


@pytest.mark.article("136")
@pytest.mark.article("Annexe 6")
@pytest.mark.parametrize(("satisfaction", "expected"), [("70", "Satisfaction"), ("70.01", "aucune mention")])
def test_mention_threshold_both_sides(jw, satisfaction, expected):
    # Every UE at 14/20: 14 × 5 = 70 % whatever the annexe-6 weights.
    _thresholds(jw, satisfaction)
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    eva = selectors.grid(session, student_id=jw.students["eva"].pk)[0]
    assert eva.mention_percentage == Decimal("70.00")
    assert eva.mention_label == expected


@pytest.mark.article("136")
def test_higher_mention_needs_a_motivation(jw):
    _thresholds(jw, "60")
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    eva = jw.students["eva"].pk
    with pytest.raises(JuryError, match="motivée"):
        services.raise_mention(actor=jw.president, session_id=session.pk, student_id=eva, motivation="")
    services.raise_mention(actor=jw.president, session_id=session.pk, student_id=eva, motivation="TFE remarquable.")
    assert selectors.grid(session, student_id=eva)[0].mention == "distinction"


@pytest.mark.article("130")
@pytest.mark.article("35")
def test_closing_locks_writes_the_record_and_feeds_next_year_financabilite(jw):
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    tom = jw.students["tom"]
    services.close_session(actor=jw.secretary, session_id=session.pk)
    with pytest.raises(JuryError, match="clôturée"):
        services.grant_credits(actor=jw.secretary, session_id=session.pk, student_id=tom.pk, ue_id=jw.ues["B1-2"].pk,
                               criteria=["evolution"], motivation="x")
    assert set(AcquiredCredit.objects.filter(student=tom).values_list("ue__code", flat=True)) == {
        "B1-1", "B1-4", "B1-5", "B1-6"}
    past = PastRegistration.objects.get(student=tom, academic_year="2023-2024")
    assert (past.pae_credits, past.credits_acquired) == (60, 40)
    history = [financabilite.PastRegistration(academic_year=p.academic_year, cycle=p.cycle, cursus=p.cursus,
                                              pae_credits=p.pae_credits, credits_acquired=p.credits_acquired,
                                              new_rules=p.new_rules)
               for p in tom.past_registrations.order_by("academic_year")]
    decision = financabilite.evaluate(financabilite.FinancabiliteFacts(
        academic_year="2024-2025", cycle=1, cursus=jw.programme.name, cursus_credits=180, history=history,
        credits_in_cursus=40, bloc1_credits=40))
    text = " ".join(r.text for r in decision.reasons)
    assert "1 inscription(s) prise(s) en compte dans le premier cycle ; 40 crédits" in text
    outlook = selectors.next_year_outlook(tom, jw.programme, "2023-2024")
    assert outlook.year == "2024-2025"
    assert "n'existe pas" in outlook.missing_parameters
    assert "1 inscription(s) prise(s) en compte" in " ".join(r.text for r in outlook.financabilite.reasons)
    # Reopening is the president's, with a reason.
    with pytest.raises(JuryError, match="président"):
        services.reopen_session(actor=jw.secretary, session_id=session.pk, reason="Erreur d'encodage")
    with pytest.raises(JuryError, match="raison"):
        services.reopen_session(actor=jw.president, session_id=session.pk, reason=" ")
    services.reopen_session(actor=jw.president, session_id=session.pk, reason="Erreur d'encodage en B1-2")
    assert session.history.filter(reopen_reason="Erreur d'encodage en B1-2").exists()


@pytest.mark.article("133")
def test_january_deliberates_only_end_of_cycle_students_who_presented_everything(jw):
    session = open_with(jw, 1, [jw.president, jw.secretary] + jw.teachers)
    # Léa (bloc 1) is not deliberated in January; Eva (end of cycle) only once all her UEs have a January result.
    assert not selectors.grid(session, student_id=jw.students["lea"].pk)[0].deliberated
    eva = jw.students["eva"]
    assert not selectors.grid(session, student_id=eva.pk)[0].deliberated  # her results are June's
    for code in ("B3-1", "B3-2", "B3-3", "B3-4", "B3-5", "B3-6"):
        jw.result(eva, code, Decimal(13), period=1)
    assert selectors.grid(session, student_id=eva.pk)[0].deliberated


@pytest.mark.article("130")
def test_the_history_names_the_student_of_each_grant_and_mention(jw):
    """The session's history is read without the grid beside it: each grant and mention says whose it is."""
    from parcours.audit.models import AuditEvent

    _thresholds(jw, "60")
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    tom, eva = jw.students["tom"], jw.students["eva"]
    services.grant_credits(actor=jw.secretary, session_id=session.pk, student_id=tom.pk, ue_id=jw.ues["B1-2"].pk,
                           criteria=["evolution"], motivation="Échec limité.")
    services.raise_mention(actor=jw.president, session_id=session.pk, student_id=eva.pk, motivation="TFE remarquable.")
    services.raise_mention(actor=jw.president, session_id=session.pk, student_id=eva.pk, motivation="TFE remarquable.")
    summaries = list(AuditEvent.objects.filter(action__in=["juries.grant.created", "juries.mention.raised"])
                     .values_list("summary", flat=True))
    assert len(summaries) == 2  # the mention's double submission writes nothing twice
    assert any(f"B1-2 octroyés à {tom.matricule}" in s for s in summaries)
    assert any(f"attribuée à {eva.matricule} (Satisfaction → Distinction)" in s for s in summaries)
    services.withdraw_grant(actor=jw.secretary, grant_id=session.grants.get().pk, reason="Erreur de ligne.")
    assert AuditEvent.objects.filter(action="juries.grant.withdrawn",
                                     summary__contains=f"B1-2 à {tom.matricule} retiré").exists()


@pytest.mark.article("103")
def test_reopening_cancels_a_publication_fixed_for_the_decisions_before_it(jw, settings):
    import datetime as dt

    from django.utils import timezone

    settings.PARCOURS_TODAY = "2024-07-01"
    session = open_with(jw, 2, [jw.president, jw.secretary] + jw.teachers)
    services.close_session(actor=jw.secretary, session_id=session.pk)
    later = timezone.make_aware(dt.datetime(2024, 7, 5, 10, 0))
    with pytest.raises(JuryError, match="date de publication doit se situer"):  # a typing error: 2099
        services.schedule_publication(actor=jw.president, session_id=session.pk,
                                      publish_at=timezone.make_aware(dt.datetime(2099, 7, 5, 10, 0)))
    services.schedule_publication(actor=jw.president, session_id=session.pk, publish_at=later)
    services.reopen_session(actor=jw.president, session_id=session.pk, reason="Erreur d'encodage en B1-2")
    session.refresh_from_db()
    assert session.publish_at is None
    services.close_session(actor=jw.secretary, session_id=session.pk)
    assert services.publish_due(at=later + dt.timedelta(days=1)) == 0  # nothing leaves unless fixed again
