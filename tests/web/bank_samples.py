"""Bank statements in the banks' own formats, built field by field at Febelfin's CODA positions (128-character
records) and in ISO 20022 camt.053.001.02, for the import tests."""

import datetime as dt


def _ddmmyy(day: dt.date) -> str:
    return day.strftime("%d%m%y")


def _rec(text: str) -> str:
    assert len(text) <= 128, (len(text), text)
    return text.ljust(128)


def coda(movements: list[dict], day: dt.date = dt.date(2023, 10, 3)) -> bytes:
    """movements: {"ref", "cents", "ogm" (12 digits) or "free", "name", "sign" ("0" credit / "1" debit)}."""
    rows = [_rec("0" + "0000" + _ddmmyy(day) + "300" + "05" + " " + " " * 7 + "HELHA00001" + "HELHA".ljust(26)
                 + "GKCCBEBB".ljust(11) + "00000000000" + " " + "00000" + " " * 16 + " " * 16 + " " * 7 + "2"),
            _rec("1" + "2" + "001" + "BE71096123456769".ljust(34) + "EUR" + "0" + "0" * 15 + _ddmmyy(day)
                 + "HELHA".ljust(26) + "Compte courant".ljust(35) + "001")]
    for seq, m in enumerate(movements, start=1):
        comm = ("1" + "101" + m["ogm"] + " " * 38) if m.get("ogm") else ("0" + m.get("free", "").ljust(53)[:53])
        rows.append(_rec("2" + "1" + f"{seq:04d}" + "0000" + m["ref"].ljust(21)[:21] + m.get("sign", "0")
                         + f"{m['cents'] * 10:015d}" + _ddmmyy(day) + "00150000" + comm + _ddmmyy(day) + "001"
                         + m.get("glob", "0") + "1" + " " + "0"))
        rows.append(_rec("2" + "3" + f"{seq:04d}" + "0000" + "BE68539007547034".ljust(37)
                         + m.get("name", "MAES INES").ljust(35) + " " * 43 + "  " + "0"))
    total = sum(m["cents"] for m in movements)
    rows.append(_rec("8" + "001" + "BE71096123456769".ljust(34) + "EUR" + "0" + f"{total * 10:015d}" + _ddmmyy(day)
                     + " " * 64 + "0"))
    rows.append(_rec("9" + " " * 15 + f"{len(rows) - 1:06d}" + "0" * 15 + f"{total * 10:015d}" + " " * 75 + "2"))
    return ("\r\n".join(rows) + "\r\n").encode("latin-1")


def camt053(entries: list[dict], day: dt.date = dt.date(2023, 10, 3)) -> bytes:
    """entries: {"ref", "amount" (text), "ogm" or "free", "name", "credit" (bool, default True)}."""
    parts = []
    for e in entries:
        if e.get("ogm"):
            rmt = ("<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>BBA</Issr></Tp>"
                   f"<Ref>{e['ogm']}</Ref></CdtrRefInf></Strd>")
        else:
            rmt = f"<Ustrd>{e.get('free', '')}</Ustrd>"
        parts.append(f"""
      <Ntry>
        <Amt Ccy="EUR">{e['amount']}</Amt>
        <CdtDbtInd>{'CRDT' if e.get('credit', True) else 'DBIT'}</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>{e.get('day', day).isoformat()}</Dt></BookgDt>
        <ValDt><Dt>{e.get('day', day).isoformat()}</Dt></ValDt>
        <AcctSvcrRef>{e['ref']}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
          <RltdPties><Dbtr><Nm>{e.get('name', 'Maes Ines')}</Nm></Dbtr>
            <DbtrAcct><Id><IBAN>BE68539007547034</IBAN></Id></DbtrAcct></RltdPties>
          <RmtInf>{rmt}</RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>STMT-{day:%Y%m%d}</MsgId><CreDtTm>{day.isoformat()}T06:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>{day:%Y%m%d}-001</Id><CreDtTm>{day.isoformat()}T06:00:00</CreDtTm>
      <Acct><Id><IBAN>BE71096123456769</IBAN></Id><Ccy>EUR</Ccy></Acct>{''.join(parts)}
    </Stmt>
  </BkToCstmrStmt>
</Document>
""".encode()
