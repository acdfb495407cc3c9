"""Registry of every article (1-220) and annexe (1-7) of the RGE 2023-2024, and of the mobility
procedure: which functions implement it, which parameter file carries it, or why it is not a
computation. ``tests/regulation/test_articles.py`` fails when a computational entry has no test
that names it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

# workflow: applied by a service or screen of the application (named by its dotted path under ``parcours``), with
# no rule of its own in this package.
Status = Literal["implemented", "data", "workflow", "not_computational"]


@dataclass(frozen=True)
class Article:
    ref: str  # "35", "Annexe 2", "Procédure mobilité AS"
    title: str
    status: Status
    implemented_by: tuple[str, ...] = ()
    reason: str = ""
    workflow: str = ""  # where the application runs it as a workflow, for the people concerned

    @property
    def computational(self) -> bool:
        return self.status != "not_computational"

    def to_dict(self) -> dict:
        label = self.ref if not self.ref[0].isdigit() else f"Art. {self.ref}"
        return {"article": label, "ref": self.ref, "title": self.title, "status": self.status,
                "implemented_by": list(self.implemented_by), "reason": self.reason,
                "workflow": self.workflow}


# Where each article stands in the RGE (titles and chapters, for the table).
PARTS: list[tuple[int, int, str]] = [
    (1, 5, "Introduction générale"), (6, 6, "Bases légales"), (7, 7, "Définitions légales"),
    (8, 8, "Études organisées"), (9, 11, "Calendrier de l'année académique"), (12, 15, "Horaires et e-learning"),
    (16, 21, "Conditions d'accès aux études"), (22, 22, "Date d'inscription"), (23, 30, "Procédure d'inscription"),
    (31, 33, "Inscription après le 30 septembre"), (34, 34, "Inscriptions multiples"),
    (35, 37, "Étudiants non finançables et hors UE"), (38, 38, "Étudiant libre"), (39, 39, "Irrecevabilité"),
    (40, 41, "Refus d'inscription"), (42, 46, "Fraude à l'inscription"), (47, 56, "Droits d'inscription"),
    (57, 60, "Annulation et abandon"), (61, 61, "Changement de coordonnées"), (62, 66, "PAE : définitions"),
    (67, 68, "Composition du PAE"), (69, 70, "Valorisation de crédits"), (71, 74, "Allègement"),
    (75, 78, "Activités pédagogiques"), (79, 86, "Périodes d'évaluation"), (87, 87, "Examens hors session"),
    (88, 90, "Inscription aux examens"), (91, 91, "Absence de l'étudiant"), (92, 93, "Retard de l'étudiant"),
    (94, 94, "Absence de l'enseignant"), (95, 96, "Consignes et modalités d'évaluation"),
    (97, 98, "Évaluations dispensatoires"), (99, 99, "Assesseur et co-évaluateur"), (100, 100, "Notation et seuil"),
    (101, 102, "Reports de note"), (103, 103, "Notification des résultats"), (104, 104, "Copie d'examen"),
    (105, 108, "Plaintes relatives aux évaluations"), (109, 113, "Fraude aux évaluations"),
    (114, 116, "Faute grave aux évaluations"), (117, 121, "Stages"), (122, 126, "Travail de fin d'études"),
    (127, 136, "Jury"), (137, 137, "Commissions"), (138, 168, "Obligations de l'étudiant"), (169, 175, "Sanctions"),
    (176, 179, "Recours interne"), (180, 183, "Recours externe"), (184, 185, "Aide à la réussite et tutorat"),
    (186, 188, "Participation aux organes"), (189, 195, "Enseignement inclusif"), (196, 208, "Assurances"),
    (209, 213, "Étudiant entrepreneur"), (214, 220, "Mobilité de l'étudiant"),
]

CAL = "calendar.deadline"
IMPLEMENTED: dict[str, tuple[str, ...]] = {
    "7": ("calendar.describe_day", "pae.check"),
    "11": ("calendar.describe_day",),
    "12": (CAL,),
    "19": ("registration.vae_access",),
    "20": ("registration.jury_cf_access",),
    "22": ("registration.window",),
    "24": ("registration.admissibility", "fees.compute", "registration.decision_open"),
    "25": ("registration.admissibility",),
    "26": ("registration.admissibility",),
    "27": ("registration.silence", CAL),
    "29": (CAL,),
    "30": ("registration.window", "registration.admissibility"),
    "31": ("registration.window",),
    "32": ("registration.window",),
    "33": ("registration.window", "fees.compute"),
    "34": ("registration.refusal", "registration.decision_open"),
    "35": ("financabilite.evaluate",),
    "36": ("financabilite.evaluate", "registration.admissibility", CAL, "registration.decision_open"),
    "37": ("registration.non_eu_admission",),
    "38": ("fees.compute", "pae.check"),
    "39": ("registration.admissibility", "registration.decision_open"),
    "40": ("registration.refusal", CAL, "registration.decision_open"),
    "41": ("appeals.route",),
    "43": (CAL,),
    "45": ("registration.refusal",),
    "46": ("registration.fraud_ban",),
    "47": ("fees.compute",),
    "48": ("fees.payment_status",),
    "49": ("fees.payment_status",),
    "50": ("appeals.route",),
    "51": ("fees.compute",),
    "53": ("fees.compute", "fees.payment_status"),
    "54": ("fees.compute",),
    "55": ("fees.compute", CAL),
    "56": ("fees.compute",),
    "57": ("fees.withdrawal",),
    "58": ("fees.withdrawal", "financabilite.evaluate"),
    "59": ("fees.withdrawal",),
    "60": ("fees.withdrawal",),
    "63": ("grades.ue_result", "deliberation.credits"),
    "67": ("pae.check", "deliberation.credits"),
    "68": ("pae.check",),
    "71": ("pae.check", "fees.compute"),
    "72": ("calendar.fixed_date",),
    "74": ("calendar.fixed_date",),
    "76": (CAL,),
    "77": ("pae.check",),
    "80": (CAL, "exams.schedule_change", "exams.timetable_publication"),
    "83": ("exams.attempt",),
    "85": ("calendar.fixed_date", "exams.encoding"),
    "87": (CAL,),
    "88": ("exams.admission",),
    "89": ("exams.admission",),
    "90": ("exams.admission",),
    "91": (CAL, "exams.absence_proof", "exams.retake_request"),
    "98": ("grades.carry_over",),
    "99": (CAL, "exams.assessor_request"),
    "100": ("grades.ue_result", "deliberation.credits"),
    "101": ("grades.carry_over",),
    "102": ("grades.carry_over",),
    "103": (CAL, "calendar.fixed_date", "exams.results_detail_due", "exams.detail_publication"),
    "104": (CAL, "exams.copy_consultation"),
    "105": (CAL, "appeals.route"),
    "106": (CAL,),
    "108": ("appeals.route",),
    "110": ("grades.ue_result",),
    "111": (CAL,),
    "112": ("registration.fraud_ban",),
    "113": ("appeals.route",),
    "114": ("grades.ue_result", CAL),
    "116": ("appeals.route",),
    "118": (CAL, "appeals.route"),
    "120": ("appeals.route",),
    "128": ("deliberation.quorum",),
    "129": ("deliberation.mention", "deliberation.deliberated"),
    "131": ("deliberation.may_sit",),
    "133": ("deliberation.deliberated",),
    "134": ("grades.jury_grant", "grades.carry_over", "deliberation.credits"),
    "135": ("grades.jury_grant",),
    "136": ("deliberation.mention", CAL),
    "161": ("registration.admissibility",),
    "164": ("grades.ue_result", "grades.jury_grant", CAL),
    "171": ("appeals.sanction_authority",),
    "172": (CAL, "appeals.sanction_authority"),
    "175": ("appeals.route",),
    "176": (CAL, "calendar.describe_day"),
    "177": (CAL, "appeals.route"),
    "178": (CAL, "appeals.route"),
    "179": (CAL, "appeals.route"),
    "180": (CAL, "appeals.route", "registration.silence"),
    "181": (CAL, "appeals.route"),
    "182": (CAL, "appeals.route"),
    "183": (CAL, "appeals.route"),
    "187": ("calendar.fixed_date",),
    "192": ("calendar.fixed_date",),
    "193": (CAL, "appeals.route"),
    "194": (CAL,),
    "213": ("registration.entrepreneur_status",),
    "214": ("mobility.eligibility",),
    "215": ("mobility.eligibility", "mobility.duration", "mobility.learning_agreement", "mobility.grant",
            "mobility.convert_grade", "mobility.stay"),
    "216": ("mobility.duration",),
    "217": ("mobility.eligibility", "mobility.duration"),
    "218": ("mobility.eligibility",),
    "219": ("mobility.eligibility",),
    "Annexe 1": ("calendar.describe_day", CAL),
    "Annexe 2": ("fees.compute",),
    "Annexe 3": ("grades.jury_grant",),
    "Annexe 4": ("registration.jury_cf_access", "fees.compute", CAL),
    "Annexe 6": ("deliberation.mention",),
    "Annexe 7": ("registration.non_eu_admission", CAL),
    "Procédure mobilité AS": ("mobility.candidature", "mobility.candidature_deadline", "mobility.stay"),
}

# Transcribed as year parameters and checked by the loader, with no rule of their own.
DATA: dict[str, tuple[str, ...]] = {
    "8": ("years/2023-2024/programmes.yaml",),
    "9": ("years/2023-2024/calendar.yaml",),
    # Quadrimestre dates and their 12 weeks of activities at least, checked by the loader.
    "10": ("years/2023-2024/calendar.yaml",),
    "79": ("years/2023-2024/calendar.yaml",),
}

# Applied by the application's workflows (services and screens), named by their path under ``parcours``.
WORKFLOWS: dict[str, tuple[str, ...]] = {
    "3": ("accounts.permissions.can_view_student", "accounts.permissions.can_act_for_student"),
    "16": ("admissions.services.declare_irrecevable",),
    "17": ("admissions.services.declare_irrecevable",),
    "18": ("admissions.services.declare_irrecevable",),
    "21": ("dossiers.services.upload_document", "dossiers.services.review_document"),
    "23": ("admissions.services.submit_request",),
    "28": ("admissions.services.accept",),
    "42": ("admissions.fraud.report_fraud",),
    "44": ("admissions.fraud.decide_fraud",),
    "52": ("web.views.attestation",),
    "62": ("admissions.programme.propose_pae", "admissions.programme.validate_pae"),
    "64": ("institutions.models.UE",),
    "65": ("institutions.models.LearningActivity",),
    "69": ("admissions.programme.valorise_credits",),
    "70": ("admissions.programme.valorise_credits",),
    "73": ("admissions.programme.grant_allegement",),
    "96": ("evaluations.organisation.schedule", "evaluations.models.Evaluation"),
}

NOT_COMPUTATIONAL: dict[str, str] = {
    "1": "Objet, portée et annexes du règlement.",
    "2": "Règle de langage (termes épicènes).",
    "4": "Articulation avec le PPSC et les règlements spécifiques ; programmes soumis à un autre règlement (marqués dans programmes.yaml).",
    "5": "Organes de la HELHa.",
    "6": "Liste des bases légales.",
    "13": "Publication des horaires et obligation de consulter les valves.",
    "14": "Réajustements d'horaire.",
    "15": "Lieux des activités et e-learning.",
    "61": "Changement de coordonnées.",
    "66": "Fiche ECTS : contenu et publication.",
    "75": "Présence aux activités selon la fiche ECTS.",
    "78": "Activités extraordinaires obligatoires.",
    "81": "Obligation d'organiser deux évaluations par UE.",
    "82": "Obligation d'organiser les évaluations pour la 1re année.",
    "84": "Évaluations organisées une seule fois (fiche ECTS).",
    "86": "Définition de la force majeure : appréciation des faits.",
    "92": "Retard à une évaluation : appréciation de l'enseignant.",
    "93": "Grève des transports : appréciation de la direction.",
    "94": "Remplacement de l'enseignant absent.",
    "95": "Consignes de surveillance.",
    "97": "Caractère dispensatoire des évaluations de janvier (fiche ECTS).",
    "107": "Effets de la décision du jury restreint.",
    "109": "Définition de la fraude aux évaluations : qualification des faits.",
    "115": "Récurrence de faute grave requalifiée : appréciation.",
    "117": "Organisation des stages.",
    "119": "Refus de stage pour raisons disciplinaires : renvoi au titre VII.",
    "121": "Directives de stage des départements.",
    "122": "Crédits du TFE (15 à 30) : contrainte sur la définition du programme d'études, pas sur le PAE.",
    "123": "TFE comme épreuve transversale (fiche ECTS).",
    "124": "Sujet et promoteur du TFE.",
    "125": "Conduite du TFE (règlement spécifique).",
    "126": "Confidentialité et propriété intellectuelle du TFE.",
    "127": "Constitution et compétences du jury.",
    "130": "Huis clos et secret des délibérations.",
    "132": "Fonctionnement détaillé par le règlement spécifique.",
    "137": "Commissions du jury.",
    "169": "Principe des sanctions, proportionnalité appréciée par l'autorité.",
    "170": "Mesures d'ordre prises sur-le-champ.",
    "173": "Cumul mesure d'ordre et procédure disciplinaire.",
    "174": "Exclusion temporaire d'urgence : décision du directeur.",
    "184": "Aide à la réussite.",
    "185": "Tutorat par les pairs.",
    "186": "Organes participatifs ; valorisation de deux crédits au plus laissée aux instances.",
    "188": "Absences légitimes des élus.",
    "189": "Cadre de l'enseignement inclusif.",
    "190": "Objectif de l'enseignement inclusif.",
    "191": "Bénéficiaires : appréciation de la situation de handicap.",
    "195": "Recours en cas de désaccord sur le PAI (renvoi).",
    "209": "Engagement de la HELHa en matière d'entrepreneuriat.",
    "210": "Principes de la convention étudiant entrepreneur.",
    "211": "Renouvellement annuel du statut (formulaire).",
    "212": "Retrait du statut : appréciation.",
    "220": "Activités internationales ponctuelles.",
    "Annexe 5": "Charte informatique : règles de conduite.",
}
for n in range(138, 169):
    if str(n) not in IMPLEMENTED:  # 161 (hepatitis-B proof) and 164 (plagiarism: FR) are applied by rules
        NOT_COMPUTATIONAL.setdefault(str(n), "Obligations et règles de conduite de l'étudiant (titre VII, chapitre 1).")
for n in range(196, 209):
    NOT_COMPUTATIONAL.setdefault(str(n), "Assurances : couvertures et démarches.")


def _title(ref: str) -> str:
    if ref.startswith("Annexe"):
        return {"Annexe 1": "Calendrier de l'année académique", "Annexe 2": "Droits d'inscription",
                "Annexe 3": "Critères de délibération", "Annexe 4": "Jurys de la Communauté française",
                "Annexe 5": "Charte informatique", "Annexe 6": "Pondération des mentions",
                "Annexe 7": "Admission des candidats hors UE"}[ref]
    if not ref[0].isdigit():
        return "Mobilité OUT du Bachelier en assistant social (HENALLUX / HERS)"
    n = int(ref)
    return next(title for lo, hi, title in PARTS if lo <= n <= hi)


def _build() -> tuple[Article, ...]:
    refs = [str(n) for n in range(1, 221)] + [f"Annexe {n}" for n in range(1, 8)] + ["Procédure mobilité AS"]
    out = []
    for ref in refs:
        kinds = [ref in IMPLEMENTED, ref in DATA, ref in WORKFLOWS, ref in NOT_COMPUTATIONAL]
        if sum(kinds) != 1:
            raise RuntimeError(f"Article {ref} : classé {sum(kinds)} fois dans le registre.")
        if ref in IMPLEMENTED:
            out.append(Article(ref, _title(ref), "implemented", IMPLEMENTED[ref]))
        elif ref in DATA:
            out.append(Article(ref, _title(ref), "data", DATA[ref]))
        elif ref in WORKFLOWS:
            out.append(Article(ref, _title(ref), "workflow", WORKFLOWS[ref]))
        else:
            out.append(Article(ref, _title(ref), "not_computational", reason=NOT_COMPUTATIONAL[ref]))
    return tuple(out)


REGISTRY: tuple[Article, ...] = _build()


def get(ref: str) -> Article:
    for a in REGISTRY:
        if a.ref == ref:
            return a
    raise KeyError(ref)


# Articles of Titre V whose rules the application also runs as a workflow (parcours.evaluations): the screens
# and services where the people concerned meet them.
_EVAL = "parcours.evaluations"
EVALUATION_WORKFLOWS: dict[str, str] = {
    "79": f"{_EVAL} : les trois périodes de l'année et leur date limite d'encodage par département",
    "80": f"{_EVAL} : horaire publié un mois avant, modification refusée à moins de 10 jours ouvrables sauf force "
          "majeure, étudiants prévenus, calendrier ICS",
    "83": f"{_EVAL} : au-delà de deux présentations d'une UE dans l'année, non admis sauf autorisation motivée du "
          "directeur de département",
    "85": f"{_EVAL} : session ouverte décidée par le jury, encodage permis jusqu'au 15 avril / 15 septembre / 30 novembre",
    "87": f"{_EVAL} : un examen hors période appartient à la période qui suit",
    "88": f"{_EVAL} : les étudiants sans inscription régulière figurent sur la feuille, non admis, avec l'article",
    "89": f"{_EVAL} : inscrits d'office aux évaluations des UE de leur PAE",
    "90": f"{_EVAL} : choix des évaluations de la 3e période dans la fenêtre du département",
    "91": f"{_EVAL} : déclaration d'absence, justificatif en 2 jours ouvrables, décision CM / ML / PP",
    "96": f"{_EVAL} : forme de chaque évaluation (écrit, oral, continue, travail)",
    "98": f"{_EVAL} : report des notes de janvier et demande de représenter",
    "99": f"{_EVAL} : co-évaluateurs d'une feuille de notes ; assesseur désigné par le président du jury (demande "
          "d'un étudiant au plus tard 7 jours ouvrables avant l'évaluation)",
    "100": f"{_EVAL} : feuilles de notes, note de l'UE calculée et conservée avec ses motifs",
    "101": f"{_EVAL} : notes reportées sur la feuille de la période suivante",
    "102": f"{_EVAL} : notes reportées sur la feuille de la période suivante",
    "103": f"{_EVAL} : résultats visibles après publication, relevé de notes, procurations ; résultats de janvier "
           "des étudiants de 1re année publiés au plus tard le 10 février (date comptée sur l'écran du président)",
    "104": f"{_EVAL} : consultation des copies annoncée une semaine à l'avance",
}
# Articles of Titre VI (and the publication of art. 103) run as a workflow by parcours.juries; the complaint and
# appeal deadlines it announces (art. 105, 177) belong to the appeals workflow.
_JURY = "parcours.juries"
JURY_WORKFLOWS: dict[str, str] = {
    "103": f"{_JURY} : publication à la date et l'heure fixées par le président, courriel et notification, liste des "
           "valves par matricule",
    "127": f"{_JURY} : un jury par programme et année, sous-jury de première année possible",
    "128": f"{_JURY} : président, secrétaire, responsables d'UE du PAE (au moins 5) ; présences et quorum de la séance",
    "129": f"{_JURY} : grille de délibération, grade conféré à la fin du cycle, délibération de janvier pour les fins "
           "de cycle",
    "130": f"{_JURY} : grille réservée aux membres du jury ; chaque octroi et chaque mention supérieure est motivé",
    "131": f"{_JURY} : liens déclarés par les membres, membre écarté pour l'étudiant concerné",
    "133": f"{_JURY} : une séance par période d'évaluation",
    "134": f"{_JURY} : octroi des crédits d'une UE en échec (2e ou 3e période), crédits écrits au dossier",
    "135": f"{_JURY} : critères de l'annexe 3 retenus pour chaque octroi",
    "136": f"{_JURY} : mention (annexe 6, pourcentages de l'établissement), diplôme et supplément au diplôme",
    "Annexe 3": f"{_JURY} : liste des critères proposée à chaque octroi",
    "Annexe 6": f"{_JURY} : pondération choisie par jury, pourcentage calculé dans la grille",
}
REGISTRY = tuple(replace(a, workflow=" ; ".join(w for w in (EVALUATION_WORKFLOWS.get(a.ref, ""), JURY_WORKFLOWS.get(a.ref, ""))
                                                   if w)) for a in REGISTRY)
