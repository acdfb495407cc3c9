"""Demo data of the juries: the jury of the Bachelier : assistant social 2023-2024 with its teachers, the
January and June results of its students (through the evaluation services), the demo institution's mention
percentages, and the June session ready to open. Deterministic, idempotent; one call from seed_demo."""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction

from parcours.accounts.demo import set_demo_password
from parcours.accounts.models import Role, RoleAssignment, User
from parcours.institutions.models import UE, AcademicYear, LearningActivity, Programme
from parcours.juries import services
from parcours.juries.models import Jury, MentionSetting

PROGRAMME = "Bachelier : assistant social"
YEAR = "2023-2024"
DOMAIN = "demo.helha.be"
# Art. 136 leaves the percentage of each mention to the institution: these are the DEMO institution's choice.
DEMO_THRESHOLDS = {"satisfaction": Decimal(60), "distinction": Decimal(70), "grande_distinction": Decimal(80),
                   "plus_grande_distinction": Decimal(85)}
DEMO_SOURCE = "Choix de l'établissement de démonstration (le RGE ne fixe pas ces pourcentages, art. 136)"
TEACHERS = [("enseignant.droit", "Hélène", "Collard"), ("enseignant.psycho", "Bruno", "Delvaux"),
            ("enseignant.stage", "Nathalie", "Wauters"), ("enseignant.methodo", "Olivier", "Gilson"),
            ("enseignant.eco", "Sarah", "Jacobs")]


def _teacher(login, first, last, password, department):
    user, created = User.objects.get_or_create(email=f"{login}@{DOMAIN}", defaults={"first_name": first,
                                                                                    "last_name": last})
    if created:
        set_demo_password(user, password)
        user.save()
        RoleAssignment.objects.create(user=user, role=Role.TEACHER, department=department)
    return user


def _results(programme, year_label: str, rng: random.Random) -> None:
    """June sheets of the Q2 UEs with their notes, UE results computed by the evaluation side. January is the
    evaluation demo's (some sheets left to encode: the grid then shows the art. 100 last-resort rule)."""
    from parcours.evaluations.models import ActivityNote
    from parcours.evaluations.services import build_sheets, compute_ue_results, ensure_periods

    periods = {p.number: p for p in ensure_periods(year_label)}
    for number, quadrimestre in ((2, "2"),):
        period = periods[number]
        activities = LearningActivity.objects.filter(ue__programme=programme, ue__quadrimestre=quadrimestre)
        build_sheets(period=period, activities=activities, on=period.start)
        todo = list(ActivityNote.objects.filter(sheet__period=period, sheet__activity__in=activities, may_sit=True,
                                                note__isnull=True, code="").select_related("student__user",
                                                                                          "sheet__activity")
                    .order_by("pk"))
        for n in todo:
            draw = rng.random()
            if n.student.user.email == f"etudiant@{DOMAIN}" and "204-" in n.sheet.activity.code:
                n.note = Decimal("7.5") if n.sheet.activity.code.endswith("-1") else Decimal(9)  # a June failure (art. 134)
            elif n.student.user.email == f"etudiant@{DOMAIN}":
                n.note = Decimal(rng.randint(12, 16))
            elif draw < 0.03:
                n.code = "PP"
            elif draw < 0.13:
                n.note = Decimal(rng.randint(12, 19)) / 2  # 6 to 9.5
            else:
                n.note = Decimal(rng.randint(20, 36)) / 2  # 10 to 18
            n.source = ActivityNote.Source.TEACHER
        ActivityNote.objects.bulk_update(todo, ["note", "code", "source"], batch_size=1000)
        compute_ue_results(period, ue_ids=list(UE.objects.filter(programme=programme,
                                                                  quadrimestre=quadrimestre).values_list("pk", flat=True)))


@transaction.atomic
def ensure_jury_demo(password: str) -> list[tuple[str, str]]:
    """The demo jury and what it deliberates; returns the extra demo accounts."""
    programme = Programme.objects.get(name=PROGRAMME)
    year = AcademicYear.objects.get(label=YEAR)
    department = programme.department
    president = User.objects.get(email=f"president.jury@{DOMAIN}")
    secretary = User.objects.get(email=f"secretaire.jury@{DOMAIN}")
    accounts = []
    teachers = [_teacher(*t, password, department) for t in TEACHERS]
    for i, ue in enumerate(UE.objects.filter(programme=programme).order_by("bloc", "code")):
        if not ue.teachers.exists():
            ue.teachers.add(teachers[i % len(teachers)])
    for (login, *_), user in zip(TEACHERS, teachers, strict=True):
        accounts.append((f"Enseignant, membre du jury ({login})", user.email))
    MentionSetting.objects.get_or_create(academic_year=year, defaults={**DEMO_THRESHOLDS, "source": DEMO_SOURCE})
    if not Jury.objects.filter(programme=programme, academic_year=year).exists():
        _results(programme, YEAR, random.Random(2024))
        jury = services.compose_jury(actor=president, programme=programme, academic_year=year, president=president,
                                     secretary=secretary, mention_domain="social", mention_kind="bachelier_3")
        services.create_session(actor=secretary, jury_id=jury.pk, period=2)
    return accounts
