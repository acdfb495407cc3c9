"""Generate docs/rules.md: every rule's input and output, with a worked example from the RGE.

    python scripts/rules_doc.py          # rewrite docs/rules.md
The test suite fails when docs/rules.md is not what this script produces.
"""

from __future__ import annotations

import json
from pathlib import Path

from parcours.regulation import registration
from parcours.regulation.articles import REGISTRY
from parcours.regulation.calendar import UNIT_LABELS, session_ouverte_names
from parcours.regulation.params import load_year
from parcours.regulation.rules import RULES, run

DOC = Path(__file__).resolve().parents[1] / "docs" / "rules.md"

# (rule, situation taken from the RGE, facts). Values marked "illustratif" are institution choices
# the RGE leaves open: the rule takes them as input.
EXAMPLES: list[tuple[str, str, dict]] = [
    ("calendar.describe_day", "Le lundi 30 octobre 2023 tombe dans le congé d'automne de l'annexe 1.",
     {"date": "2023-10-30"}),
    ("calendar.deadline", "Une demande est déclarée irrecevable par une notification du 31 octobre 2023 : recours au "
     "Commissaire dans les 15 jours ouvrables (art. 180).", {"time_limit": "irrecevability_appeal", "event_date": "2023-10-31"}),
    ("calendar.fixed_date", "Un étudiant de 1re année demande sa réorientation le 20 décembre 2023 (art. 33).",
     {"name": "reorientation_blackout", "on": "2023-12-20"}),
    ("grades.ue_result", "UE de deux activités : 8/20 (poids 1) et 12,4/20 (poids 2), intégrées selon la fiche ECTS "
     "(art. 63, 100).", {"code": "UE-SOC-101", "credits": 5, "activities": [{"note": "8", "weight": "1"},
                                                                                {"note": "12.4", "weight": "2"}]}),
    ("grades.carry_over", "Étudiant de bloc 1 avec 9/20 en janvier qui ne renonce pas à représenter (art. 98, 101).",
     {"student": "bloc1", "from_period": 1, "note": "9"}),
    ("grades.jury_grant", "Échec à 9/20 en juin, jugé acceptable par le jury au vu de l'ensemble des résultats (art. 134).",
     {"period": 2, "note": "9", "jury_judges_failure_acceptable": True}),
    ("exams.admission", "Étudiant régulièrement inscrit, UE de son PAE, période de janvier (art. 89).",
     {"registration_regular": True, "ue_in_pae": True, "period": 1}),
    ("exams.encoding", "Note encodée le 3 février 2024 pour une date limite du 2 février (art. 80, 85).",
     {"on": "2024-02-03", "period": 1, "deadline": "2024-02-02"}),
    ("exams.schedule_change", "Un examen annoncé le lundi 22 janvier 2024 est déplacé le 9 janvier (art. 80).",
     {"announced": "2024-01-22", "on": "2024-01-09"}),
    ("exams.timetable_publication", "Horaire de la période de janvier publié le 8 décembre 2023 (art. 80).",
     {"period_start": "2024-01-08", "on": "2023-12-08"}),
    ("exams.absence_proof", "Certificat médical déposé le jeudi 11 janvier 2024 pour un examen du lundi 8 (art. 91).",
     {"evaluation_date": "2024-01-08", "on": "2024-01-11"}),
    ("exams.retake_request", "Demande de représenter dans la même période, le lendemain de l'examen (art. 91).",
     {"evaluation_date": "2024-01-10", "on": "2024-01-11", "when": "same_period"}),
    ("exams.copy_consultation", "Résultats le 1er février 2024, consultation le 15 annoncée le 8 (art. 104).",
     {"results_on": "2024-02-01", "announced_on": "2024-02-08", "consultation_on": "2024-02-15"}),
    ("exams.results_detail_due", "Étudiant de 1re année, résultats de janvier (art. 103).",
     {"bloc1": True, "period": 1, "period_end": "2024-01-31"}),
    ("exams.detail_publication", "Le président fixe le 1er février la publication des résultats de janvier d'une "
     "promotion de 1re année au 12 février (art. 103).",
     {"bloc1": True, "period": 1, "publish_on": "2024-02-12", "on": "2024-02-01"}),
    ("exams.attempt", "Étudiant ayant déjà présenté une UE en janvier et en juin, qui voudrait la présenter en "
     "septembre (art. 83).", {"attempts_this_year": 2}),
    ("exams.assessor_request", "Un étudiant demande par écrit un assesseur le 15 janvier 2024 pour un examen du "
     "22 janvier (art. 99).", {"origin": "student", "evaluation_date": "2024-01-22", "requested_on": "2024-01-15",
                               "motivation": "Litige avec l'évaluateur"}),
    ("financabilite.evaluate", "Deux inscriptions sous les nouvelles règles, 50 des 60 premiers crédits, exception "
     "retenue par le jury (art. 35 §2 al. 2).",
     {"cycle": 1, "cursus": "Bachelier : assistant social", "cursus_credits": 180, "credits_in_cursus": 50,
      "bloc1_credits": 50, "jury_exception": True,
      "history": [{"academic_year": "2021-2022", "cycle": 1, "cursus": "Bachelier : assistant social", "pae_credits": 60,
                   "credits_acquired": 25, "new_rules": True},
                  {"academic_year": "2022-2023", "cycle": 1, "cursus": "Bachelier : assistant social", "pae_credits": 60,
                   "credits_acquired": 25, "new_rules": True}]}),
    ("fees.compute", "Bachelier assistant social à Mons, début de cycle, non boursier (annexe 2, ligne 278).",
     {"section": "Assistant-e Social-e", "site": "Mons", "stage": "DC"}),
    ("fees.payment_status", "Au 1er novembre 2023, l'acompte de 50 € n'a pas été payé (art. 48).",
     {"fees": {"section": "Assistant-e Social-e", "site": "Mons", "stage": "DC"}, "payments": [], "on": "2023-11-01"}),
    ("fees.withdrawal", "Désinscription signée le 30 novembre 2023 après avoir payé 650 € (art. 58).",
     {"fees": {"section": "Assistant-e Social-e", "site": "Mons", "stage": "DC"}, "withdrawal_date": "2023-11-30",
      "paid": "650"}),
    ("pae.check", "Après une première année à 45 crédits, le programme proposé ajoute 20 crédits de bloc 2 aux 15 "
     "crédits de bloc 1 restants, et un cours en anglais dont le prérequis manque (art. 67, 77).",
     {"situation": "bloc1_non_reussi", "bloc1_credits_acquired": 45, "bloc1_codes": ["B1-A", "B1-B", "B1-C"],
      "acquired": ["B1-A", "B1-B"],
      "ues": [{"code": "B1-C", "credits": 15, "bloc": 1}, {"code": "B2-A", "credits": 40, "bloc": 2},
              {"code": "B2-EN", "credits": 10, "bloc": 2, "language": "en", "prerequisites": ["B1-C"]}]}),
    ("deliberation.credits", "Fin de juin : trois UE, dont une octroyée par le jury (art. 100, 134).",
     {"ues": [{"code": "A", "credits": 30, "note": "13"}, {"code": "B", "credits": 20, "note": "9", "jury_granted": True},
              {"code": "C", "credits": 10, "special": "CM"}]}),
    ("deliberation.mention", "Bachelier du domaine social : blocs à 12, 14 et 16/20 ; seuils illustratifs fixés par "
     "l'établissement (art. 136, annexe 6).",
     {"domain": "social", "kind": "bachelier_3",
      "ues": [{"code": "B1", "credits": 60, "note": "12", "bloc": "1"}, {"code": "B2", "credits": 60, "note": "14", "bloc": "2"},
              {"code": "B3", "credits": 60, "note": "16", "bloc": "3"}],
      "thresholds": {"satisfaction": "50", "distinction": "65", "grande_distinction": "75", "plus_grande_distinction": "85"}}),
    ("deliberation.quorum", "Dix enseignants ont participé aux épreuves, cinq sont présents (art. 128).",
     {"members": 12, "teachers_who_examined": 10, "teachers_present": 5}),
    ("deliberation.may_sit", "Un enseignant est l'oncle de l'étudiant (3e degré, art. 131).",
     {"relationship": "parent", "degree": 3}),
    ("deliberation.deliberated", "Janvier : étudiant en fin de cycle qui présente tout son programme résiduel (art. 133).",
     {"evaluation_period": 1, "end_of_cycle": True, "presents_whole_residual_programme": True}),
    ("mobility.eligibility", "Erasmus études : 45 crédits réussis, minimum illustratif de 45 fixé par le département (art. 215).",
     {"kind": "SMS", "department_authorised": True, "credits_passed": 45, "department_min_credits": 45}),
    ("mobility.duration", "Erasmus études du 29 janvier au 28 avril 2024 : 13 semaines (art. 215).",
     {"kind": "SMS", "start": "2024-01-29", "end": "2024-04-28"}),
    ("mobility.learning_agreement", "Convention d'études d'un quadrimestre à 30 ECTS (art. 215).",
     {"quadrimestre_credits": [30]}),
    ("mobility.candidature", "Candidature Erasmus du Bachelier AS reçue le 12 février 2024, envoyée à HENALLUX seulement.",
     {"submitted_on": "2024-02-12", "documents": ["formulaire", "lettre_motivation", "cv", "bulletins"],
      "letter_signed": True, "sent_to": ["HENALLUX"]}),
    ("mobility.candidature_deadline", "Mobilité de stage au Canada : la date du 8 décembre ne vaut que pour les cours.",
     {"canada_study": False}),
    ("mobility.stay", "Attestation de séjour : arrivée le 16 septembre 2024, départ le 31 janvier 2025, vérifiée le "
     "3 février 2025.", {"kind": "SMS", "arrival": "2024-09-16", "departure": "2025-01-31", "today": "2025-02-03"}),
    ("mobility.grant", "Bourse d'études du 16 septembre au 16 décembre 2024 à 520 € par mois (taux de l'établissement).",
     {"start": "2024-09-16", "end": "2024-12-16", "monthly_rate": "520"}),
    ("mobility.convert_grade", "Note portugaise de 14/20, réussite à 9,5.",
     {"host_grade": "14", "host_max": "20", "host_pass": "9.5"}),
    ("registration.window", "Demande de réorientation le 20 décembre 2023 (art. 33).",
     {"request": "reorientation", "filed_on": "2023-12-20", "first_year_first_cycle": True}),
    ("registration.admissibility", "Dossier d'infirmier complété le 1er octobre 2023, sans extrait de casier judiciaire "
     "(art. 24-26, 39).",
     {"access_conditions_met": True, "programme": "infirmier",
      "documents": ["identite", "photo", "titre_acces", "parcours", "certificat_aptitude"], "complete_on": "2023-10-01"}),
    ("registration.silence", "Aucune décision reçue au 1er novembre 2023 sur la demande finale d'inscription (art. 27, 180).",
     {"final_request_filed": True, "today": "2023-11-01"}),
    ("registration.refusal", "Étudiant non finançable ; demande finale reçue le 2 octobre 2023 (art. 40).",
     {"non_financable": True, "request_received_on": "2023-10-02"}),
    ("registration.decision_open", "Le 30 septembre 2023, le secrétariat veut déclarer irrecevable une demande dont des "
     "documents manquent encore (art. 24, 39).", {"action": "irrecevable", "today": "2023-09-30",
                                                  "by_department_direction": False, "documents_missing": True}),
    ("registration.fraud_ban", "Exclusion pour fraude aux évaluations en 2022-2023 ; inscription demandée en 2024-2025 "
     "(art. 112).", {"sanctioned_year": "2022-2023", "kind": "evaluations", "requested_year": "2024-2025"}),
    ("registration.non_eu_admission", "Candidat hors UE présent en Belgique, diplômé en 2023, avis positif reçu le "
     "6 septembre 2023 (annexe 7).",
     {"present_in_belgium_or_europe": True, "level": "bachelier", "diploma_year": 2023, "dossiers_already_accepted": 12,
      "dossier_complete": True, "dossier_fee_paid": True, "commission_positive_on": "2023-09-06"}),
    ("registration.jury_cf_access", "Demande d'inscription à un jury de la Communauté française envoyée le 2 novembre 2023.",
     {"objective_reasons_accepted": True, "filed_on": "2023-11-02"}),
    ("registration.vae_access", "Trois ans d'expérience et 130 crédits acquis dans le supérieur (art. 19).",
     {"professional_or_personal_years": 3, "higher_education_credits": 130}),
    ("registration.entrepreneur_status", "Étudiant entrepreneur avec 45 crédits validés, sans dérogation (art. 213).",
     {"credits_validated": 45}),
    ("appeals.route", "Refus d'inscription notifié le vendredi 20 octobre 2023 (art. 178).",
     {"decision": "refus_inscription", "notified_on": "2023-10-20"}),
    ("appeals.sanction_authority", "Renvoi temporaire envisagé de 11 jours ouvrables (art. 171).",
     {"sanction": "renvoi_temporaire", "working_days": 11}),
]


def _type(schema: dict, defs: dict) -> str:
    if "$ref" in schema:
        return defs[schema["$ref"].split("/")[-1]].get("title", "objet")
    if "anyOf" in schema:
        return " | ".join(_type(s, defs) for s in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(json.dumps(v, ensure_ascii=False) for v in schema["enum"])
    if schema.get("type") == "array":
        return f"liste de {_type(schema.get('items', {}), defs)}"
    fmt = schema.get("format")
    return {"date": "date", "string": "texte", "integer": "entier", "boolean": "booléen", "number": "nombre",
            "null": "null", "object": "objet"}.get(fmt or schema.get("type", ""), schema.get("type", "?"))


def _fields(model) -> list[str]:
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    required = set(schema.get("required", []))
    rows = ["| champ | type | obligatoire / défaut |", "|---|---|---|"]
    for name, prop in schema["properties"].items():
        default = "obligatoire" if name in required else f"défaut : `{json.dumps(prop.get('default'), ensure_ascii=False)}`"
        rows.append(f"| `{name}` | {_type(prop, defs)} | {default} |")
    for def_name, sub in defs.items():
        rows.append(f"| *{def_name}* | " + ", ".join(f"`{k}`" for k in sub.get("properties", {})) + " | |")
    return rows


def render() -> str:
    by_rule: dict[str, list[str]] = {}
    for a in REGISTRY:
        for name in a.implemented_by:
            by_rule.setdefault(name, []).append(a.to_dict()["article"])
    out = ["# Les règles de Parcours", "",
           "Document généré par `python scripts/rules_doc.py` ; un test vérifie qu'il est à jour.", "",
           "Chaque règle prend des faits (JSON) et rend une décision : `outcome`, puis `reasons`, la liste des articles "
           "appliqués dans l'ordre, chacun avec son explication en français, et `details`.", "",
           "    parcours rule NOM --input faits.json      # ou --input - pour l'entrée standard", "",
           "Une entrée invalide sort en code 2 avec un message en français ; un cas que le règlement ne tranche pas "
           "(ou que l'établissement doit trancher) sort en code 3 avec la raison.", ""]
    examples = {name: (situation, facts) for name, situation, facts in EXAMPLES}
    missing = set(RULES) - set(examples)
    if missing:
        raise SystemExit(f"exemple manquant pour : {sorted(missing)}")
    for name, rule in RULES.items():
        situation, facts = examples[name]
        decision = run(name, facts)
        out += [f"## `{name}`", "", rule.summary, "", "Articles : " + ", ".join(by_rule.get(name, [])), "",
                "**Entrée**", "", *_fields(rule.facts), "",
                f"**Exemple** — {situation}", "", "```json", json.dumps(facts, ensure_ascii=False, indent=2), "```", "",
                "**Décision**", "", "```json", json.dumps(decision.to_dict(), ensure_ascii=False, indent=2), "```", ""]
    out += accepted_values()
    return "\n".join(out)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def accepted_values(year: str = "2023-2024") -> list[str]:
    """Every value an enumerated text input accepts, read from the year's data: nobody should have to learn them
    from error messages. (Inputs typed as a closed list show their values in the tables above.)"""
    params = load_year(year)
    dl = params.deadlines
    out = [f"## Valeurs admises des entrées énumérées ({year})", "",
           "Tirées des fichiers de l'année (`regulation/years/" + year + "/`) ; toute autre valeur est refusée avec "
           "la liste des valeurs connues.", "",
           "### `calendar.deadline` — `time_limit`", "", "| valeur | délai | article | objet |", "|---|---|---|---|"]
    for name, tl in sorted(dl.time_limits.items()):
        where = "après" if tl.direction == "after" else "avant"
        out.append(f"| `{name}` | {tl.count} {UNIT_LABELS[tl.unit]} {where} {_cell(tl.event)} | {tl.article} | "
                   f"{_cell(tl.label)} |")
    out += ["", "### `calendar.fixed_date` — `name`", "", "| valeur | date ou période | article | objet |",
            "|---|---|---|---|"]
    for name, fd in sorted(dl.dates.items()):
        out.append(f"| `{name}` | {'au plus tard le' if fd.inclusive else 'avant le'} {fd.date.isoformat()} | "
                   f"{fd.article} | {_cell(fd.label)} |")
    for name, w in sorted(dl.windows.items()):
        out.append(f"| `{name}` | du {w.start.isoformat()} au {w.end.isoformat()} | {w.article} | {_cell(w.label)} |")
    for name, so in zip(session_ouverte_names(year), params.calendar.session_ouverte, strict=True):
        out.append(f"| `{name}` | au plus tard le {so.until.isoformat()} | {so.article} | Session ouverte après la "
                   f"{so.evaluation_period}e période d'évaluation |")
    holidays = params.calendar.public_holidays
    out += ["", f"Jours fériés légaux (non ouvrables dans tout décompte en jours ouvrables ; source : {holidays.source}) : "
            + ", ".join(f"{h.label} {h.date.isoformat()}" for h in holidays.days) + ".", ""]
    out += ["### `fees.*` — `section`, `site` et `stage` (annexe 2)", "",
            "La casse de `section` et `site` est indifférente ; `stage` : DC (début de cycle), PE (poursuite "
            "d'études), AD (année diplômante).", "", "| section | implantation (site) : étapes |", "|---|---|"]
    sections: dict[str, dict[str, list[str]]] = {}
    for row in params.fee_rows:
        stages = sections.setdefault(row.section, {}).setdefault(row.site, [])
        if row.stage not in stages:
            stages.append(row.stage)
    for section in sorted(sections):
        sites = " ; ".join(f"{site} : {', '.join(st)}" for site, st in sorted(sections[section].items()))
        out.append(f"| {_cell(section)} | {_cell(sites)} |")
    out += ["", "### `registration.admissibility` — `documents`", "", "| valeur | pièce | article |", "|---|---|---|"]
    for code, label in registration.DOCUMENT_LABELS.items():
        out.append(f"| `{code}` | {_cell(label)} | {registration.DOCUMENT_ARTICLES.get(code, 'Art. 24')} |")
    out += ["", "### `registration.admissibility` — `programme`", "",
            "Un code de l'art. 25 (" + ", ".join(f"`{c}`" for c in registration.PROGRAMME_CODES)
            + f"), `{registration.OTHER_PROGRAMME}`, ou l'intitulé d'un programme de l'année ci-dessous ; accents, "
            "casse et ponctuation sont indifférents. Les programmes des domaines de la santé "
            f"({', '.join(params.programmes.health_domains.domains)}) demandent la preuve de vaccination contre "
            "l'hépatite B (art. 161).", ""]
    out += [f"- {_cell(p.name)}" for p in params.programmes.programmes]
    out += ["", "### `deliberation.mention` — `domain` et `kind` (annexe 6)", "", "| domain | kind | pondération des blocs |",
            "|---|---|---|"]
    for w in params.mentions.weights:
        out.append(f"| `{w.domain}` | `{w.kind}` | " + ", ".join(f"bloc {b} : {p} %" for b, p in w.blocs.items()) + " |")
    out += ["", f"Mentions (`thresholds`) : {', '.join(f'`{n}`' for n in params.mentions.mentions.names)}.", ""]
    return out


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    print(f"{DOC} écrit ({len(RULES)} règles)")
