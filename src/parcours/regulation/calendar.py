"""The academic calendar (annexe 1) and the one deadline calculator of the RGE.

Working days are Monday to Friday except legal public holidays: "pour la computation des délais, le
samedi n'est pas considéré comme un jour ouvrable" (art. 176), and in Belgian usage neither Sunday nor a
legal public holiday is one (the year's list and its source are in calendar.yaml). Suspensions depend on the time
limit: the HELHa's congés and closure for internal procedures (art. 106, 176), the windows of
art. 180-181 for external appeals, those of art. 193 for the CESI.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from parcours.regulation.explain import Decision, Explanation, Facts, RuleError, gettext_noop, joined
from parcours.regulation.params import Period, TimeLimit, YearParameters, load_year

UNIT_LABELS = {"working_days": gettext_noop("jours ouvrables"), "calendar_days": gettext_noop("jours calendrier"), "months": gettext_noop("mois")}


@dataclass(frozen=True)
class AcademicCalendar:
    params: YearParameters

    @property
    def start(self) -> dt.date:
        return self.params.calendar.academic_year.start

    @property
    def end(self) -> dt.date:
        return self.params.calendar.academic_year.end

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def period_of(self, day: dt.date) -> Period:
        for period in self.params.calendar.periods:
            if period.start <= day <= period.end:
                return period
        raise RuleError(
            gettext_noop("Le {day:date} n'appartient pas à l'année académique {year} "
            "({self_start:date} – {self_end:date}) : son calendrier n'est pas chargé.", day=day, year=self.params.year, self_start=self.start, self_end=self.end)
        )

    def quadrimestre_of(self, day: dt.date) -> int:
        for q in self.params.calendar.quadrimestres:
            if q.start <= day <= q.end:
                return q.number
        raise RuleError(gettext_noop("Le {day:date} n'appartient à aucun quadrimestre de {year}.", day=day, year=self.params.year))

    def holiday(self, day: dt.date) -> str | None:
        """The legal public holiday falling on ``day``, if any."""
        return next((h.label for h in self.params.calendar.public_holidays.days if h.date == day), None)

    def is_working_day(self, day: dt.date) -> bool:
        # Art. 176 (Saturday), Sunday, and the legal public holidays of the year's calendar data.
        return day.weekday() < 5 and self.holiday(day) is None

    def is_closed(self, day: dt.date) -> bool:
        return self.period_of(day).suspends_time_limits

    def is_suspended(self, day: dt.date, suspensions: tuple[str, ...] | list[str]) -> bool:
        for name in suspensions:
            if name == "helha_closures":
                if self.is_closed(day):
                    return True
                continue
            for w in self.params.deadlines.suspension_windows[name].windows:
                if _in_month_day_window(day, w.from_, w.to):
                    return True
        return False


def _in_month_day_window(day: dt.date, start: str, end: str) -> bool:
    md = day.strftime("%m-%d")
    if start <= end:
        return start <= md <= end
    return md >= start or md <= end  # a window over New Year (24 Dec – 1 Jan)


def calendar_for(year: str = "2023-2024") -> AcademicCalendar:
    return AcademicCalendar(load_year(year))


def count_time_limit(cal: AcademicCalendar, tl: TimeLimit, event: dt.date) -> tuple[dt.date, int]:
    """The raw end of a time limit counted from ``event``, and how many suspended days it skipped."""
    step = dt.timedelta(days=1 if tl.direction == "after" else -1)
    suspensions = tuple(tl.suspensions)
    suspended_days = 0
    day = event
    if tl.unit in ("working_days", "calendar_days"):
        counted = 0
        while counted < tl.count:
            day += step
            if cal.is_suspended(day, suspensions):
                suspended_days += 1
                continue
            if tl.unit == "working_days" and not cal.is_working_day(day):
                continue
            counted += 1
        return day, suspended_days
    end = event + relativedelta(months=tl.count if tl.direction == "after" else -tl.count)
    cursor = event
    while cursor != end:
        cursor += step
        if cal.is_suspended(cursor, suspensions):
            suspended_days += 1
    day, extra = end, suspended_days
    while extra:  # a month suspended for N days lasts N counted days longer (art. 103)
        day += step
        if not cal.is_suspended(day, suspensions):
            extra -= 1
    return day, suspended_days


def land_on_working_day(cal: AcademicCalendar, tl: TimeLimit, day: dt.date) -> dt.date:
    """A time limit never ends on a day nothing can be filed: move to the next working day (or, for
    a date counted backwards, to the previous one), a choice that never shortens the time given."""
    step = dt.timedelta(days=1 if tl.direction == "after" else -1)
    while not cal.is_working_day(day) or cal.is_suspended(day, tl.suspensions):
        day += step
    return day


# --- rules -----------------------------------------------------------------------------------
class DayFacts(Facts):
    date: dt.date
    year: str = "2023-2024"


def describe_day(facts: DayFacts) -> Decision:
    """Which period of annexe 1 a day belongs to, and whether it is a working day."""
    cal = calendar_for(facts.year)
    ex = Explanation()
    period = cal.period_of(facts.date)
    ex.add(period.article, gettext_noop("Le {facts_date:date} tombe dans la période « {period_label} ».", facts_date=facts.date, period_label=period.label))
    working = cal.is_working_day(facts.date)
    holiday = cal.holiday(facts.date)
    if working:
        ex.add("Art. 176", gettext_noop("Jour ouvrable (du lundi au vendredi, hors jour férié légal)."))
    elif holiday and facts.date.weekday() < 5:
        ex.add(cal.params.calendar.public_holidays.article, gettext_noop("{holiday} : jour férié légal, pas un jour ouvrable "
               "({source}).", holiday=holiday, source=cal.params.calendar.public_holidays.source))
    else:
        ex.add("Art. 176", gettext_noop("Ni le samedi ni le dimanche ne sont des jours ouvrables."))
    if period.suspends_time_limits:
        ex.add("Art. 11, 106, 176", gettext_noop("Période de congé ou de fermeture : activités et évaluations suspendues, "
               "délais de recours et de procédures disciplinaires suspendus."))
    return ex.decide(
        {"period": period.kind, "label": period.label, "working_day": working,
         "quadrimestre": cal.quadrimestre_of(facts.date), "suspends_time_limits": period.suspends_time_limits},
    )


class DeadlineFacts(Facts):
    time_limit: str
    event_date: dt.date
    year: str = "2023-2024"


def time_limit(name: str, year: str = "2023-2024") -> TimeLimit:
    limits = load_year(year).deadlines.time_limits
    if name not in limits:
        raise RuleError(gettext_noop("Délai inconnu : « {name} ». Délais connus : {limits}.", name=name, limits=', '.join(sorted(limits))))
    return limits[name]


def deadline(facts: DeadlineFacts) -> Decision:
    """Every time limit of the RGE, computed from the event that starts it."""
    cal = calendar_for(facts.year)
    tl = time_limit(facts.time_limit, facts.year)
    ex = Explanation()
    event = facts.event_date
    if tl.not_before_year_start and event < cal.start:
        ex.add(tl.article, gettext_noop("Le délai court au plus tôt à partir de la rentrée ({cal_start:date}).", cal_start=cal.start))
        event = cal.start
    where = gettext_noop("après") if tl.direction == "after" else gettext_noop("avant")
    ex.add(tl.article, gettext_noop("{tl_label} : {tl_count} {unit_labels} {where} {event} ({event2:date}).", tl_label=tl.label, tl_count=tl.count, unit_labels=UNIT_LABELS[tl.unit], where=where, event=tl.event, event2=event))
    day, suspended_days = count_time_limit(cal, tl, event)
    if tl.unit == "working_days":
        ex.add("Art. 176", gettext_noop("Seuls les jours du lundi au vendredi sont comptés (le samedi n'est pas un jour ouvrable)."))
        lo, hi = sorted((event, day))
        skipped = [h for h in cal.params.calendar.public_holidays.days if lo < h.date <= hi and h.date.weekday() < 5]
        holidays = cal.params.calendar.public_holidays
        reading = gettext_noop("Lecture retenue : les jours fériés légaux ne sont pas des jours ouvrables (usage belge ; "
                               "l'annexe 1 les traite en congés). Source : {source}.", source=holidays.source)
        if skipped:
            # one text per holiday, joined as one param, so each holiday's name is translated
            listed = joined([gettext_noop("{label} ({date:date})", label=h.label, date=h.date) for h in skipped], ", ")
            reading = gettext_noop("{reading} Non comptés ici : {listed}.", reading=reading, listed=listed)
        ex.add(holidays.article, reading)
    for name in tl.suspensions:
        if name == "helha_closures":
            ex.add("Art. 106, 176 ; annexe 1", gettext_noop("Le délai est suspendu pendant les congés et la fermeture de la HELHa."))
        else:
            sw = cal.params.deadlines.suspension_windows[name]
            ex.add(sw.article, gettext_noop("Le délai est suspendu {sw_label}.", sw_label=sw.label))
    if suspended_days:
        ex.add(tl.article, gettext_noop("{suspended_days} jour(s) suspendu(s) ne sont pas comptés.", suspended_days=suspended_days))
    landing = land_on_working_day(cal, tl, day)
    if landing != day:
        ex.add("Art. 176", gettext_noop("Le {day:date} n'est pas un jour ouvrable : l'échéance est reportée au {landing:date}.", day=day, landing=landing))
    bound = gettext_noop("au plus tard le") if tl.bound == "latest" else gettext_noop("au plus tôt le")
    ex.add(tl.article, gettext_noop("{tl_label} : {bound} {landing:date}.", tl_label=tl.label, bound=bound, landing=landing))
    return ex.decide(landing, bound=tl.bound, time_limit=facts.time_limit, article=tl.article,
                     suspended_days=suspended_days)


class FixedDateFacts(Facts):
    name: str
    on: dt.date | None = None
    year: str = "2023-2024"


def fixed_date(facts: FixedDateFacts) -> Decision:
    """A date or window the RGE fixes; with ``on``, whether that day is still in time."""
    dl = load_year(facts.year).deadlines
    ex = Explanation()
    if facts.name in dl.dates:
        fd = dl.dates[facts.name]
        ex.add(fd.article, (gettext_noop("{label} : au plus tard le {date:date}.", label=fd.label, date=fd.date) if fd.inclusive
                            else gettext_noop("{label} : avant le {date:date}.", label=fd.label, date=fd.date)))
        in_time = None
        if facts.on is not None:
            in_time = facts.on <= fd.date if fd.inclusive else facts.on < fd.date
            ex.add(fd.article, (gettext_noop("Le {on:date} est dans délai.", on=facts.on) if in_time
                                else gettext_noop("Le {on:date} est hors délai.", on=facts.on)))
        return ex.decide({"date": fd.date, "inclusive": fd.inclusive, "in_time": in_time})
    if facts.name in dl.windows:
        w = dl.windows[facts.name]
        ex.add(w.article, gettext_noop("{w_label} : du {w_start:date} au {w_end:date}.", w_label=w.label, w_start=w.start, w_end=w.end))
        inside = None
        if facts.on is not None:
            inside = w.start <= facts.on <= w.end
            ex.add(w.article, (gettext_noop("Le {on:date} est dans la période.", on=facts.on) if inside
                               else gettext_noop("Le {on:date} est hors de la période.", on=facts.on)))
        return ex.decide({"start": w.start, "end": w.end, "in_time": inside})
    session = _session_ouverte(facts.name, facts.year)
    if session is not None:
        ex.add(session.article, gettext_noop("Session ouverte : la {evaluation_period}e période d'évaluation peut être "
               "prolongée, pour un cas de force majeure, au plus tard jusqu'au {until:date}.", evaluation_period=session.evaluation_period, until=session.until))
        in_time = None
        if facts.on is not None:
            in_time = facts.on <= session.until
            ex.add(session.article, (gettext_noop("Le {on:date} est dans délai.", on=facts.on) if in_time
                                else gettext_noop("Le {on:date} est hors délai.", on=facts.on)))
        return ex.decide({"date": session.until, "inclusive": True, "in_time": in_time})
    known = sorted([*dl.dates, *dl.windows, *session_ouverte_names(facts.year)])
    raise RuleError(gettext_noop("Date inconnue : « {name} ». Connues : {known}.", name=facts.name, known=', '.join(known)))


SESSION_OUVERTE_PREFIX = "session_ouverte_q"


def session_ouverte_names(year: str = "2023-2024") -> list[str]:
    """Art. 85: one fixed date per evaluation period, named session_ouverte_q1, _q2, _q3."""
    return [f"{SESSION_OUVERTE_PREFIX}{s.evaluation_period}" for s in load_year(year).calendar.session_ouverte]


def _session_ouverte(name: str, year: str):
    if not name.startswith(SESSION_OUVERTE_PREFIX):
        return None
    return next((s for s in load_year(year).calendar.session_ouverte
                 if f"{SESSION_OUVERTE_PREFIX}{s.evaluation_period}" == name), None)


def date_in_time(name: str, on: dt.date, year: str = "2023-2024") -> bool:
    """Shorthand for other rules: is ``on`` within the fixed date or window ``name``?"""
    return bool(fixed_date(FixedDateFacts(name=name, on=on, year=year)).outcome["in_time"])
