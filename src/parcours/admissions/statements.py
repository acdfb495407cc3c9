"""Bank statements read into lines: CODA (Febelfin's fixed-width "Coded statement of account"), ISO 20022
camt.053 and a simple CSV. Pure parsing: every line is checked (amount with at most two decimals, a credit,
a date, a reference), every problem is reported with its line number, and nothing here writes anything.

CODA records are 128 characters; positions below are Febelfin's (1-based in the standard, 0-based here).
"""

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext

MAX_FIELD = 500  # characters in one CSV field: more is not a bank statement
MAX_LINES = 20000


@dataclass(frozen=True)
class BankLine:
    number: int  # where it is in the file, for the report
    reference: str  # the bank's own transaction reference: the duplicate key
    booked_on: dt.date
    amount: Decimal
    communication: str  # the structured communication's 12 digits, or the free text
    counterparty: str = ""


@dataclass
class Statement:
    format: str
    lines: list[BankLine] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # any error: the whole file is refused
    ignored: list[str] = field(default_factory=list)  # debits and bank totals: not a student's payment


class StatementError(Exception):
    """The file as a whole cannot be read."""


def _where(number: int, *, camt: bool = False) -> str:
    """Where a problem is, in the reader's language: a line of CODA or CSV, an entry of camt.053."""
    return (gettext("écriture %(n)d") if camt else gettext("ligne %(n)d")) % {"n": number}


def _debit(where: str, amount: Decimal) -> str:
    return gettext("%(where)s : débit de %(amount)s € (pas un paiement reçu)") % {"where": where, "amount": amount}


_PLAIN = re.compile(r"^\+?(\d{1,9})(?:[.,](\d{1,2}))?$", re.ASCII)
_GROUPED = re.compile(r"^\+?(\d{1,3}(?:[. ]\d{3})+),(\d{1,2})$", re.ASCII)  # 1.234,56 / 1 234,56


def parse_amount(text: str) -> Decimal:
    """A positive amount with at most two decimals, written 50 / 50,00 / 50.00 / 1.234,56."""
    text = text.strip().replace("\u00a0", " ")
    m = _PLAIN.match(text)
    if m:
        whole, cents = m.group(1), m.group(2) or "0"
    else:
        m = _GROUPED.match(text)
        if not m:
            raise ValueError(gettext("montant illisible « %(text)s » (attendu : 50,00 ; deux décimales au plus)")
                             % {"text": text[:30]})
        whole, cents = m.group(1).replace(".", "").replace(" ", ""), m.group(2)
    return Decimal(f"{int(whole)}.{cents.ljust(2, '0')}")


def parse_date(text: str) -> dt.date:
    """dd/mm/yyyy (the Belgian banks' export), dd-mm-yyyy, dd.mm.yyyy or yyyy-mm-dd."""
    text = text.strip()
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(gettext("date illisible « %(text)s » (attendu : jj/mm/aaaa)") % {"text": text[:30]})


def decode(raw: bytes) -> str:
    """Text of an uploaded statement; a binary file is refused as a whole."""
    if b"\x00" in raw:
        raise StatementError(gettext("Fichier illisible : ce n'est pas un extrait de compte (fichier binaire)."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")  # CODA files are usually Latin-1


def parse(raw: bytes) -> Statement:
    text = decode(raw)
    head = text.lstrip()[:400]
    if head.startswith("<") and "camt.053" in text[:2000]:
        return parse_camt053(text)
    if head.startswith("0000") and len(head.splitlines()[0].rstrip("\r")) >= 120:
        return parse_coda(text)
    if head.startswith("<"):
        raise StatementError(gettext("Fichier XML qui n'est pas un relevé camt.053."))
    return parse_csv(text, raw)


# ---------------------------------------------------------------- CODA


def _coda_date(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d%m%y").date()


def parse_coda(text: str) -> Statement:
    out = Statement(format="CODA")
    current: dict | None = None

    def close():
        nonlocal current
        if current is not None:
            comm = current["structured"] or " ".join(current["free"].split())
            out.lines.append(BankLine(number=current["number"], reference=current["reference"],
                                      booked_on=current["date"], amount=current["amount"],
                                      communication=comm, counterparty=current["counterparty"]))
        current = None

    rows = text.splitlines()
    if len(rows) > MAX_LINES:
        raise StatementError(gettext("Fichier trop long (%(count)d lignes ; au plus %(max)d).")
                             % {"count": len(rows), "max": MAX_LINES})
    for n, row in enumerate(rows, start=1):
        if not row.strip():
            continue
        if len(row) > 128:
            out.errors.append(gettext("ligne %(n)d : enregistrement CODA de %(length)d caractères (128 attendus)")
                              % {"n": n, "length": len(row)})
            continue
        row = row.ljust(128)
        kind = row[0]
        if kind == "2" and row[1] == "1":
            close()
            try:
                sign, amount_text = row[31], row[32:47]
                if not (amount_text.isascii() and amount_text.isdigit()):
                    raise ValueError(gettext("montant illisible « %(text)s »") % {"text": amount_text})
                millis = int(amount_text)
                if millis % 10:
                    raise ValueError(gettext("montant à plus de deux décimales (%(amount)s)") % {"amount": millis / 1000})
                amount = (Decimal(millis) / 1000).quantize(Decimal("0.01"))
                booked = _coda_date(row[115:121])
                reference = row[10:31].strip()
                if not reference:
                    raise ValueError(gettext("référence bancaire absente"))
            except ValueError as exc:
                out.errors.append(gettext("%(where)s : %(problem)s") % {"where": _where(n), "problem": exc})
                continue
            detail, globalised = row[6:10], row[124] not in "0 "
            if detail == "0000" and globalised:
                out.ignored.append(gettext("%(where)s : total globalisé (%(amount)s €), détaillé dans les lignes suivantes")
                                   % {"where": _where(n), "amount": amount})
                continue
            if sign != "0":
                out.ignored.append(_debit(_where(n), amount))
                continue
            structured = row[65:77] if row[61] == "1" and row[62:65] == "101" else ""
            current = {"number": n, "reference": reference, "date": booked, "amount": amount,
                       "structured": structured, "free": "" if structured else row[62:115], "counterparty": ""}
        elif kind == "2" and row[1] in "23":
            if current is None:
                continue  # the rest of a debit or a total set aside above
            if row[1] == "3":
                current["counterparty"] = row[47:82].strip()
            if not current["structured"]:
                current["free"] += row[10:63] if row[1] == "2" else row[82:125]
        elif kind in "013489":
            close()
        else:
            out.errors.append(gettext("%(where)s : type d'enregistrement CODA inconnu « %(kind)s »")
                              % {"where": _where(n), "kind": row[:2]})
    close()
    return out


# ---------------------------------------------------------------- camt.053


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find(node, path: str):
    """First descendant along a slash-separated path of local names (camt versions differ in namespace)."""
    nodes = [node]
    for name in path.split("/"):
        nodes = [c for n in nodes for c in n if _local(c.tag) == name]
        if not nodes:
            return None
    return nodes[0]


def _text(node, path: str) -> str:
    found = _find(node, path)
    return (found.text or "").strip() if found is not None else ""


def parse_camt053(text: str) -> Statement:
    out = Statement(format="camt.053")
    try:
        root = ElementTree.fromstring(text.encode("utf-8"))
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise StatementError(gettext("Fichier camt.053 illisible : %(error)s") % {"error": exc}) from None
    entries = [e for e in root.iter() if _local(e.tag) == "Ntry"]
    if len(entries) > MAX_LINES:
        raise StatementError(gettext("Relevé trop long (%(count)d écritures ; au plus %(max)d).")
                             % {"count": len(entries), "max": MAX_LINES})
    for n, entry in enumerate(entries, start=1):
        where = _where(n, camt=True)
        try:
            amount = parse_amount(_text(entry, "Amt"))
            booked = dt.date.fromisoformat((_text(entry, "BookgDt/Dt") or _text(entry, "BookgDt/DtTm")
                                            or _text(entry, "ValDt/Dt"))[:10])
        except ValueError as exc:
            out.errors.append(gettext("%(where)s : %(problem)s") % {"where": where, "problem": exc})
            continue
        if _text(entry, "CdtDbtInd") != "CRDT":
            out.ignored.append(_debit(where, amount))
            continue
        if _text(entry, "RvslInd").lower() == "true":
            out.ignored.append(gettext("%(where)s : extourne de %(amount)s €") % {"where": where, "amount": amount})
            continue
        tx = _find(entry, "NtryDtls/TxDtls")
        reference = (_text(entry, "AcctSvcrRef") or (_text(tx, "Refs/AcctSvcrRef") if tx is not None else "")
                     or _text(entry, "NtryRef"))
        if not reference:
            out.errors.append(gettext("%(where)s : référence bancaire (AcctSvcrRef) absente") % {"where": where})
            continue
        structured = _text(tx, "RmtInf/Strd/CdtrRefInf/Ref") if tx is not None else ""
        free = " ".join(t.text.strip() for t in (tx.iter() if tx is not None else [])
                        if _local(t.tag) == "Ustrd" and t.text)
        debtor = ""
        if tx is not None:
            debtor = _text(tx, "RltdPties/Dbtr/Nm") or _text(tx, "RltdPties/Dbtr/Pty/Nm")
        out.lines.append(BankLine(number=n, reference=reference[:100], booked_on=booked, amount=amount,
                                  communication=(structured or free)[:MAX_FIELD], counterparty=debtor[:140]))
    return out


# ---------------------------------------------------------------- CSV


def parse_csv(text: str, raw: bytes) -> Statement:
    """date;montant;communication[;référence[;contrepartie]] — a header line is allowed. Without a reference
    column, the file's fingerprint and the line number make one: the same file imported twice is recognised,
    two identical transfers on one day stay two payments."""
    out = Statement(format="CSV")
    fingerprint = hashlib.sha256(raw).hexdigest()[:16]
    delimiter = ";" if ";" in text[:2000] or "," not in text[:2000] else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise StatementError(gettext("Fichier CSV illisible : %(error)s") % {"error": exc}) from None
    if len(rows) > MAX_LINES:
        raise StatementError(gettext("Fichier trop long (%(count)d lignes ; au plus %(max)d).")
                             % {"count": len(rows), "max": MAX_LINES})
    for n, row in enumerate(rows, start=1):
        if not row or not "".join(row).strip():
            continue
        if n == 1 and row[0].strip().lower() in ("date", "date valeur", "date comptable"):
            continue
        if any(len(cell) > MAX_FIELD for cell in row):
            out.errors.append(gettext("%(where)s : champ de plus de %(max)d caractères") % {"where": _where(n), "max": MAX_FIELD})
            continue
        if len(row) < 3:
            out.errors.append(gettext("%(where)s : %(count)d colonne(s) ; attendu : date;montant;communication")
                              % {"where": _where(n), "count": len(row)})
            continue
        amount_text = row[1].strip()
        try:
            booked = parse_date(row[0])
            negative = amount_text.startswith("-")
            amount = parse_amount(amount_text.lstrip("-"))
        except ValueError as exc:
            out.errors.append(gettext("%(where)s : %(problem)s") % {"where": _where(n), "problem": exc})
            continue
        if negative:
            out.ignored.append(_debit(_where(n), amount))
            continue
        reference = row[3].strip() if len(row) > 3 and row[3].strip() else f"CSV-{fingerprint}-{n}"
        out.lines.append(BankLine(number=n, reference=reference[:100], booked_on=booked, amount=amount,
                                  communication=row[2].strip(), counterparty=row[4].strip()[:140] if len(row) > 4 else ""))
    return out


def check_bounds(statement: Statement, *, maximum: Decimal, first: dt.date, last: dt.date) -> None:
    """Amounts above zero and at most ``maximum``; booking dates within [first, last]; one reference once."""
    seen: set[str] = set()
    for line in statement.lines:
        where = _where(line.number, camt=statement.format == "camt.053")
        try:
            ok = Decimal(0) < line.amount <= maximum
        except InvalidOperation:
            ok = False
        if not ok:
            statement.errors.append(gettext("%(where)s : montant %(amount)s € hors bornes (de 0,01 à %(max)s €)")
                                    % {"where": where, "amount": line.amount, "max": maximum})
        if not first <= line.booked_on <= last:
            statement.errors.append(gettext("%(where)s : date %(date)s hors de la période %(first)s – %(last)s")
                                    % {"where": where, "date": f"{line.booked_on:%d/%m/%Y}",
                                       "first": f"{first:%d/%m/%Y}", "last": f"{last:%d/%m/%Y}"})
        if line.reference in seen:
            statement.errors.append(gettext("%(where)s : référence bancaire « %(reference)s » en double dans le fichier")
                                    % {"where": where, "reference": line.reference})
        seen.add(line.reference)
