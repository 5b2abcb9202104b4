"""Pattern detectors: contact and identity data, money, confidential terms, special categories.

Each detector has a cheap vectorised pre-filter (a Rust-regex for polars, over-inclusive) and a
Python function that runs only on the rows the pre-filter selected and returns exact findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import phonenumbers
import polars as pl

from .findings import Finding
from .rules import Rules

# ------------------------------------------------------------------ e-mail
EMAIL_RE = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,24}(?![\w\-])")


def find_emails(text: str, rules: Rules, ctx: "Context") -> list[Finding]:
    return [Finding.explained(m.start(), m.end(), "email", m.group(), "email") for m in EMAIL_RE.finditer(text)]


# ------------------------------------------------------------------ phone
_PHONE_RUN = re.compile(r"(?<![\w+\-/.,])(?:\+|\(\+?)?\d(?:[\d().\-/]|[ \u00a0](?=[\d(]))*\d(?![\w\-/]|[.,]\d)")
_DATE_SHAPE = re.compile(r"^\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}$")
_US_SHAPE = re.compile(r"^\(?\d{3}\)?[\s.\-]\d{3}[\s.\-]\d{4}$")
# "(2020-2024" in a résumé or a post is a period, not a number to dial.
_YEAR_RANGE = re.compile(r"^\(?(?:19|20)\d{2}\s*[-/–]\s*(?:19|20)?\d{2}\)?$")


def find_phones(text: str, rules: Rules, ctx: "Context") -> list[Finding]:
    """Digit runs that look dialled (trunk 0, +, parenthesis or US 3-3-4; never a date), kept
    only when phonenumbers says the number is valid in one of the regions (hint region first).
    Cheaper than PhoneNumberMatcher, which also parses every short number in the text."""
    cfg = rules["phone"]
    found: list[Finding] = []
    for run in _PHONE_RUN.finditer(text):
        s, e = run.span()
        raw = run.group()
        if _DATE_SHAPE.match(raw) or _YEAR_RANGE.match(raw):
            continue
        digits = sum(c.isdigit() for c in raw)
        if not cfg["min_digits"] <= digits <= 15:
            continue
        if not (raw[0] in "+(0" or _US_SHAPE.match(raw)):
            continue
        for region in ctx.regions:
            try:
                number = phonenumbers.parse(raw, region)
            except phonenumbers.NumberParseException:
                break
            if phonenumbers.is_valid_number(number):
                where = phonenumbers.region_code_for_number(number) or region
                found.append(Finding.explained(s, e, "phone", raw, "phone", where=where))
                break
            if raw[0] == "+":
                break  # international form: the region does not matter
    return found


# ------------------------------------------------------------------ IBAN
_IBAN_RE = re.compile(r"(?<![A-Za-z0-9])([A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?)(?![A-Za-z0-9])")
_IBAN_LENGTHS = {"FR": 27, "DE": 22, "GB": 22, "ES": 24, "IT": 27, "NL": 18, "BE": 16, "CH": 21,
                 "LU": 20, "PT": 25, "IE": 22, "AT": 20, "MC": 27, "PL": 28, "SE": 24, "DK": 18}


def iban_valid(compact: str) -> bool:
    country = compact[:2]
    if not 15 <= len(compact) <= 34 or _IBAN_LENGTHS.get(country, len(compact)) != len(compact):
        return False
    moved = compact[4:] + compact[:4]
    digits = "".join(str(int(c, 36)) for c in moved)
    return int(digits) % 97 == 1


def find_ibans(text: str, rules: Rules, ctx: "Context") -> list[Finding]:
    out = []
    for m in _IBAN_RE.finditer(text):
        compact = m.group(1).replace(" ", "")
        if iban_valid(compact):
            out.append(Finding.explained(m.start(1), m.end(1), "iban", m.group(1), "iban", country=compact[:2]))
    return out


# ------------------------------------------------------------------ national ids
_NIR_RE = re.compile(r"(?<![\w])([12])[ .]?(\d{2})[ .]?(0[1-9]|1[0-2]|[2-9]\d)[ .]?(\d{2}|2[AB])[ .]?(\d{3})[ .]?(\d{3})[ .]?(\d{2})(?![\w])")
_NINO_RE = re.compile(r"(?<![\w])(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\w])")
_SSN_RE = re.compile(r"(?<![\w\-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w\-])")
_SSN_CUE = re.compile(r"\b(?:SSN|social security)\b", re.IGNORECASE)


def nir_valid(groups: tuple[str, ...]) -> bool:
    body = "".join(groups[:6])
    key = int(groups[6])
    body = body.replace("2A", "19").replace("2B", "18")
    return 97 - int(body) % 97 == key


def find_national_ids(text: str, rules: Rules, ctx: "Context") -> list[Finding]:
    out = []
    for m in _NIR_RE.finditer(text):
        if nir_valid(m.groups()):
            out.append(Finding.explained(m.start(), m.end(), "national-id", m.group(), "nir"))
    for m in _NINO_RE.finditer(text):
        out.append(Finding.explained(m.start(), m.end(), "national-id", m.group(), "uk-nino"))
    for m in _SSN_RE.finditer(text):
        if _SSN_CUE.search(text, max(0, m.start() - 40), m.end() + 40):
            out.append(Finding.explained(m.start(), m.end(), "national-id", m.group(), "us-ssn"))
    return out


# ------------------------------------------------------------------ dates of birth
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|"
    "januar|februar|märz|juni|juli|oktober|dezember|"
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|"
    "gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|"
    "januari|februari|maart|mei|augustus"
)
_DATE = (
    rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|\d{{1,2}}(?:er|st|nd|rd|th|\.)?\s+(?:de\s+)?(?:{_MONTHS})\.?(?:\s+(?:de\s+)?\d{{4}})?"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?)(?![\w])"
)
_AFTER_CUE = re.compile(
    rf"[\s:,\-–]*(?:(?:on|le|the|am|el|il|op|is|was|:)\s+)?(?:the\s+)?({_DATE})", re.IGNORECASE)


def find_birth_dates(text: str, rules: Rules, ctx: "Context") -> list[Finding]:
    gap = rules["birth_date"]["max_gap"]
    out = []
    for cue in rules.birth_cues.finditer(text):
        m = _AFTER_CUE.match(text, cue.end())
        if m and m.start(1) - cue.end() <= gap:
            out.append(Finding.explained(m.start(1), m.end(1), "birth-date", m.group(1), "birth-date", cue=cue.group()))
    return out


# ------------------------------------------------------------------ postal addresses
_CAP_WORD = r"[A-Z][\w'’\-]*"
_EN_STREET = re.compile(
    rf"(?<![\w])\d{{1,5}}[A-Za-z]?,?\s+(?:{_CAP_WORD}\s+){{1,4}}"
    r"(?:Street|St\.|Road|Rd\.?|Avenue|Ave\.?|Lane|Boulevard|Blvd\.?|Drive|Court|Place|Square|"
    r"Terrace|Way|Close|Crescent|Gardens|Row|Mews|Hill|Parkway)(?![\w])"
    r"(?:,?\s+[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}(?![\w]))?")
_FR_STREET = re.compile(
    r"(?<![\w])\d{1,4}(?:\s?(?:bis|ter))?,?\s+"
    r"(?i:rue|avenue|av\.|boulevard|bd|place|allée|impasse|chemin|quai|route|square|faubourg|rond-point)"
    r"\s+(?:(?:de la|de l'|de l’|du|des|de|d'|d’|la|le|les)\s*)?[A-ZÀ-Ý][\w'’\-]*(?:\s+(?:(?:de|du|des|la|le)\s+)?[A-ZÀ-Ý][\w'’\-]*){0,3}"
    r"(?:,?\s+\d{5}\s+[A-ZÀ-Ý][\w\-]+)?")
# Things that look like a street line but are not: "10 Downing Street" is an address, "Top 10
# Street Food" is not (the EN pattern needs a capitalised word between number and street type).


def find_addresses(text: str, rules: Rules, ctx: "Context") -> list[Finding]:
    out = []
    for m in _EN_STREET.finditer(text):
        out.append(Finding.explained(m.start(), m.end(), "address", m.group(), "street-en"))
    for m in _FR_STREET.finditer(text):  # the street name must be capitalised ("3 place de choix" is not)
        out.append(Finding.explained(m.start(), m.end(), "address", m.group(), "street-fr"))
    return out


# ------------------------------------------------------------------ private document links
def find_private_urls(text: str, rules: Rules, ctx: "Context") -> list[Finding]:
    out = []
    for m in rules.private_url.finditer(text):
        url = m.group().rstrip(".,;:!?")
        host = re.sub(r"^https?://", "", url, flags=re.IGNORECASE).split("/")[0]
        out.append(Finding.explained(m.start(), m.start() + len(url), "private-url", url, "private-url", host=host))
    return out


# ------------------------------------------------------------------ salary and money
_NUM = r"\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_CUR = r"€|\$|£|₹|EUR|USD|GBP|CHF|INR"
_AMOUNT_RE = re.compile(
    rf"(?<![\w.,])(?:"
    rf"(?P<c1>{_CUR})\s?(?P<n1>{_NUM})\s?(?P<m1>k|K|M|bn|Bn|million|millions|billion|Md|Mds)?(?![\w])"
    rf"|(?P<n2>{_NUM})\s?(?P<m2>k|K|M|Md|Mds|bn|million|millions|milliards?|billion|lakhs?|lacs?|crores?|LPA)?\s?"
    rf"(?P<c2>k€|K€|M€|Md€|€|\$|£|EUR|USD|GBP|CHF|INR|(?:(?:d['’]\s?|of\s)?(?:euros?|dollars?|livres?|pounds?)))?(?P<per>\s?/\s?(?:an|year|yr|jour|day|mois|month|h|hour|heure))?(?![\w€$£])"
    rf")")
_MULT = {"k": 1e3, "K": 1e3, "M": 1e6, "m": 1e6, "million": 1e6, "millions": 1e6, "Md": 1e9, "Mds": 1e9,
         "milliard": 1e9, "milliards": 1e9, "bn": 1e9, "Bn": 1e9, "billion": 1e9, "lakh": 1e5,
         "lakhs": 1e5, "lac": 1e5, "lacs": 1e5, "crore": 1e7, "crores": 1e7, "LPA": 1e5}


@dataclass(frozen=True)
class Amount:
    start: int
    end: int
    text: str
    currency: bool
    mult: str | None
    value: float


def amounts(text: str) -> list[Amount]:
    out = []
    for m in _AMOUNT_RE.finditer(text):
        cur = m.group("c1") or m.group("c2")
        mult = m.group("m1") or m.group("m2")
        if cur and cur[0] in "kKM" and len(cur) > 1:  # "45 k€", "2 M€"
            mult = mult or ("Md" if cur.startswith("Md") else cur[0])
        if not cur and not mult:
            continue  # a bare number is not an amount
        raw = (m.group("n1") or m.group("n2")).replace("\u00a0", " ").replace("\u202f", " ")
        number = re.sub(r"[ ,.](?=\d{3}(?:\D|$))", "", raw).replace(",", ".")
        try:
            value = float(number) * _MULT.get(mult or "", 1.0)
        except ValueError:
            continue
        s, e = m.span()
        span = text[s:e].rstrip()
        out.append(Amount(s, s + len(span), span, bool(cur), mult, value))
    return out


def _nearest(cues: list[tuple[int, int]], s: int, e: int, window: int) -> int | None:
    best = None
    for cs, ce in cues:
        d = s - ce if ce <= s else cs - e if cs >= e else 0
        if 0 <= d <= window and (best is None or d < best):
            best = d
    return best


def find_money(text: str, rules: Rules, ctx: "Context") -> list[Finding]:
    cfg = rules["money"]
    window = cfg["window"]
    found = amounts(text)
    if not found:
        return []
    salary_cues = rules.salary_cues.find(text, 0)
    money_cues = rules.money_cues.find(text, 0)
    out = []
    for a in found:
        ds = _nearest(salary_cues, a.start, a.end, window)
        dm = _nearest(money_cues, a.start, a.end, window)
        # Salary needs a currency or a pay-style multiplier ("45k", "18 LPA"), never "2 million downloads".
        salary_like = a.currency or (a.mult in ("k", "K", "LPA", "lakh", "lakhs", "lac", "lacs", "crore", "crores"))
        if ds is not None and salary_like and (dm is None or ds <= dm):
            out.append(Finding.explained(a.start, a.end, "salary", a.text, "salary"))
        elif dm is not None and a.currency:
            out.append(Finding.explained(a.start, a.end, "money", a.text, "money-cue"))
        elif a.currency and a.value >= cfg["big_amount_millions"] * 1e6:
            out.append(Finding.explained(a.start, a.end, "money", a.text, "money-big"))
    return out


# ------------------------------------------------------------------ confidential
def find_confidential(text: str, rules: Rules, ctx: "Context") -> list[Finding]:
    out = [Finding.explained(s, e, "confidential", text[s:e], "confidential")
           for s, e in rules.confidential.find(text, rules["context_chars"])]
    for rx in rules.code_names:
        for m in rx.finditer(text):
            out.append(Finding.explained(m.start(1), m.end(1), "confidential", m.group(1), "code-name"))
    return out


# ------------------------------------------------------------------ special categories
def find_special(text: str, rules: Rules, ctx: "Context") -> list[Finding]:
    out = []
    for category, words in rules.special.items():
        for s, e in words.find(text, rules["context_chars"]):
            out.append(Finding.explained(s, e, "special-category", text[s:e], "special", category=category))
    return out


# ------------------------------------------------------------------ registry
@dataclass(frozen=True)
class Context:
    regions: tuple[str, ...]


@dataclass(frozen=True)
class PatternDetector:
    name: str
    prefilter: Callable[[Rules], pl.Expr]  # over-inclusive, on the raw text column
    find: Callable[[str, Rules, Context], list[Finding]]


def _lower_any(words: tuple[str, ...]) -> pl.Expr:
    # `_lower` is the lower-cased text, computed once per detect() call.
    return pl.col("_lower").str.contains_any(list(words))


_STREET_WORDS = (r"[0-9][^\n]{0,60}\b(?:street|st\.|road|rd|avenue|ave|lane|boulevard|blvd|drive|court|place|square|terrace|way|close|crescent|gardens|row|mews|hill|parkway"
                 r"|rue|av\.|bd|allée|impasse|chemin|quai|route|faubourg|rond-point)\b")

PATTERN_DETECTORS: tuple[PatternDetector, ...] = (
    PatternDetector("email", lambda r: pl.col("text").str.contains(r"@[A-Za-z0-9_\-]+\."), find_emails),
    PatternDetector("phone", lambda r: pl.col("text").str.contains(r"[0-9](?:[ ().\-/]{0,3}[0-9]){7,}"), find_phones),
    PatternDetector("iban", lambda r: pl.col("text").str.contains(r"[A-Z]{2}[0-9]{2} ?[A-Z0-9]{4}"), find_ibans),
    PatternDetector("national-id", lambda r: pl.col("text").str.contains(
        r"[12][ .]?[0-9]{2}[ .]?[0-9]{2}[ .]?(?:[0-9]{2}|2[AB])[ .]?[0-9]{3}|[A-Z]{2} ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]|[0-9]{3}-[0-9]{2}-[0-9]{4}"), find_national_ids),
    PatternDetector("birth-date", lambda r: pl.col("_lower").str.contains(r.birth_cues_prefilter), find_birth_dates),
    PatternDetector("address", lambda r: pl.col("_lower").str.contains(_STREET_WORDS), find_addresses),
    PatternDetector("private-url", lambda r: pl.col("text").str.contains(r.private_url_prefilter), find_private_urls),
    PatternDetector("money", lambda r: pl.col("_lower").str.contains(
        r"[€$£₹]|[0-9] ?(?:k|m|md|mds|bn|million|millions|milliards?|billion|lakhs?|lacs?|crores?|lpa|eur|usd|gbp|chf|inr|euros?|dollars?)(?:[^a-z]|$)"), find_money),
    PatternDetector("confidential", lambda r: _lower_any(r.confidential.lowered) | pl.col("text").str.contains(
        "|".join(f"(?:{p})" for p in r["confidential"]["code_name_patterns"])), find_confidential),
    PatternDetector("special-category", lambda r: _lower_any(tuple(
        w for wl in r.special.values() for w in wl.lowered)), find_special),
)
