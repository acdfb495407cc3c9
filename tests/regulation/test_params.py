"""The year's parameters: values carried over from the RGE, and a loader that fails loudly."""

import shutil
from decimal import Decimal

import pytest
import yaml

from parcours.regulation.params import YEARS_DIR, ParameterError, load_year, load_year_from
from tests.conftest import d


@pytest.fixture
def year_copy(tmp_path):
    folder = tmp_path / "2023-2024"
    shutil.copytree(YEARS_DIR / "2023-2024", folder)
    return folder


def edit_yaml(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.article("7", "9", "10", "Annexe 1")
def test_academic_year_and_quadrimestres_are_those_of_the_rge():
    cal = load_year("2023-2024").calendar
    assert (cal.academic_year.start, cal.academic_year.end) == (d("2023-09-14"), d("2024-09-13"))
    starts = {q.number: q.start for q in cal.quadrimestres}
    assert starts == {1: d("2023-09-14"), 2: d("2024-02-01"), 3: d("2024-07-01")}


@pytest.mark.article("79", "Annexe 1")
def test_evaluation_periods_start_on_the_annexe_1_dates():
    periods = [p for p in load_year().calendar.periods if p.kind == "evaluation"]
    assert [(p.evaluation_period, p.start) for p in periods] == [
        (1, d("2024-01-08")), (2, d("2024-05-27")), (3, d("2024-08-16"))]
    assert periods[1].end == d("2024-06-28") and periods[2].end == d("2024-09-06")
    assert periods[1].end < d("2024-06-30")  # art. 79: "se termine avant le 30 juin"
    assert periods[2].start > d("2024-08-15")  # "commence après le 15 août"


@pytest.mark.article("85")
def test_session_ouverte_limits():
    limits = {s.evaluation_period: s.until for s in load_year().calendar.session_ouverte}
    assert limits == {1: d("2024-04-15"), 2: d("2024-09-15"), 3: d("2024-11-30")}


@pytest.mark.article("8")
def test_programmes_of_titre_iii():
    progs = load_year().programmes.programmes
    names = {p.name for p in progs}
    assert "Bachelier : assistant social" in names
    assert "Master en kinésithérapie" in names
    masters = [p for p in progs if p.kind == "master"]
    assert all(p.cycle == 2 and p.type == "long" for p in masters)
    assert all(p.min_credits == 180 for p in progs if p.kind == "bachelier")
    assert all(p.min_credits == 60 for p in progs if p.kind == "bachelier_specialisation")
    social = next(p for p in progs if p.name == "Bachelier : assistant social")
    assert social.co_organised_with == ["HENALLUX", "HERS"]


def test_fixed_amounts():
    fees = load_year().fees
    assert fees.acompte.amount == Decimal("50")
    assert (fees.free_student_admin.amount, fees.free_student_per_credit.amount) == (Decimal(50), Decimal(5))
    assert fees.free_student_max_credits.value == 20
    assert fees.jury_cf_admin.amount == Decimal(100)
    assert fees.non_eu_dossier.amount == Decimal(50)
    assert [fees.dis.court.amount, fees.dis.long_cycle_1.amount, fees.dis.long_cycle_2.amount] == [
        Decimal(992), Decimal(1487), Decimal(1984)]


def test_institution_choices_are_marked_not_invented():
    params = load_year()
    assert params.mentions.mentions.thresholds.institution_choice is True
    assert params.mentions.mentions.thresholds.value is None
    assert params.mobility.sms_min_credits.institution_choice is True
    assert params.mobility.sms_min_credits.value is None


def test_every_parameter_carries_its_article():
    params = load_year()
    for name, tl in params.deadlines.time_limits.items():
        assert tl.article.startswith(("Art.", "Annexe")), name
    for name, fd in params.deadlines.dates.items():
        assert fd.article.startswith(("Art.", "Annexe")), name


def test_the_complete_folder_loads(year_copy):
    assert load_year_from(year_copy).year == "2023-2024"


def test_unknown_key_names_file_and_key(year_copy):
    edit_yaml(year_copy / "fees.yaml", lambda data: data.update(acompte_bis={"amount": "1", "article": "x", "label": "y"}))
    with pytest.raises(ParameterError) as err:
        load_year_from(year_copy)
    assert "fees.yaml" in str(err.value) and "acompte_bis" in str(err.value) and "champ inconnu" in str(err.value)


def test_missing_key_fails(year_copy):
    edit_yaml(year_copy / "deadlines.yaml", lambda data: data["time_limits"]["internal_appeal"].pop("count"))
    with pytest.raises(ParameterError) as err:
        load_year_from(year_copy)
    assert "deadlines.yaml" in str(err.value) and "internal_appeal.count" in str(err.value)


def test_a_gap_in_the_calendar_fails(year_copy):
    edit_yaml(year_copy / "calendar.yaml", lambda data: data["periods"].pop(3))
    with pytest.raises(ParameterError) as err:
        load_year_from(year_copy)
    assert "calendar.yaml" in str(err.value) and "trou ou chevauchement" in str(err.value)


def test_a_date_outside_the_year_fails(year_copy):
    edit_yaml(year_copy / "deadlines.yaml", lambda data: data["dates"]["solde"].update(date="2026-02-01"))
    with pytest.raises(ParameterError) as err:
        load_year_from(year_copy)
    assert "dates.solde" in str(err.value) and "hors de l'année" in str(err.value)


def test_an_unknown_suspension_reference_fails(year_copy):
    edit_yaml(year_copy / "deadlines.yaml",
              lambda data: data["time_limits"]["internal_appeal"].update(suspensions=["vacances"]))
    with pytest.raises(ParameterError, match="'vacances' inconnu"):
        load_year_from(year_copy)


def test_mention_weights_must_sum_to_100(year_copy):
    edit_yaml(year_copy / "mentions.yaml", lambda data: data["weights"][0]["blocs"].update({"3": 49}))
    with pytest.raises(ParameterError, match="99 %"):
        load_year_from(year_copy)


def test_an_unreadable_amount_in_annexe_2_names_the_line(year_copy):
    path = year_copy / "fees.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace("175.01", "175,01", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="ligne 6"):
        load_year_from(year_copy)


def test_a_missing_file_is_named(year_copy):
    (year_copy / "mobility.yaml").unlink()
    with pytest.raises(ParameterError, match="mobility.yaml: fichier manquant"):
        load_year_from(year_copy)


def test_an_unknown_year_is_refused():
    with pytest.raises(ParameterError, match="2031-2032"):
        load_year("2031-2032")


@pytest.mark.article("67", "77", "100")
def test_pae_thresholds_are_those_of_the_rge():
    from parcours.regulation.grades import THRESHOLD

    t = load_year().pae
    assert [t.bloc1_completion_with_jury.value, t.bloc1_completion.value, t.bloc1_extended.value] == [30, 45, 55]
    assert [t.max_credits.value, t.max_credits_extended.value, t.min_credits.value, t.min_credits_pedagogical.value] == [
        60, 65, 60, 55]
    assert (t.other_language_first_cycle.numerator, t.other_language_first_cycle.denominator) == (1, 4)
    assert (t.other_language_master.numerator, t.other_language_master.denominator) == (1, 2)
    assert t.pass_mark.value == THRESHOLD == 10


@pytest.mark.article("10")
@pytest.mark.parametrize("weeks,loads", [(14, True), (15, False)])
def test_the_first_two_quadrimestres_hold_the_minimum_weeks_of_activities(year_copy, weeks, loads):
    # Annexe 1 gives 98 days of activities in the 1st quadrimestre (14 weeks) and 100 in the 2nd: the 12 weeks of
    # art. 10 are met; a minimum of 15 weeks would not be.
    edit_yaml(year_copy / "calendar.yaml", lambda data: data["min_activity_weeks"].update(value=weeks))
    if loads:
        assert load_year_from(year_copy).calendar.min_activity_weeks.value == weeks
    else:
        with pytest.raises(ParameterError, match="Art. 10"):
            load_year_from(year_copy)
