"""Verdicts per item under LinkedIn's generative-AI training policy.

The rules are data (inventory/data/policy.toml, format in docs/policy.md); this module only
loads, validates and applies them. Classification is vectorised: every rule becomes a polars
boolean expression, a `when/then` chain picks the first matching rule per item, and the
member-level overrides (minor, opt-out date, region windows) are further expressions over
constant dates. No Python loop runs per row.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import polars as pl

from inventory.errors import InventoryError
from inventory.items import ITEM_SCHEMA

VERDICTS = ("training", "excluded", "other", "uncertain")
EXCLUDED_CODES = (
    "private-message", "salary", "payment", "job-application", "credentials",
    "minor", "opted-out", "region-not-enabled",
)
CONFIDENCES = ("high", "medium", "low")
REGION_CODES = ("eu", "uk", "ch", "ca", "hk", "us", "other")
OVERRIDES = (
    "minor", "opted-out", "region-not-enabled", "region-unknown", "minor-at-creation",
    "salary-in-text",
)
MATCH_KEYS = {
    "file_kind", "kind", "field", "field_regex", "visibility", "empty", "nonempty",
    "cell_regex", "salary_question", "regions", "date_from", "date_until",
}
# Columns a rule may reference besides `fields.<cell>`.
ITEM_REFS = ("id", "source", "kind", "file_kind", "field", "title", "text", "url", "visibility",
             "parent")
ADDED_COLUMNS = ("exposure", "exposure_reason", "rule", "source_url", "eligible_from",
                 "eligible_until", "flags")

_MIN = datetime(1, 1, 1, tzinfo=timezone.utc)
_MAX = datetime(9999, 12, 31, tzinfo=timezone.utc)
_DT = pl.Datetime("us", "UTC")


class PolicyError(InventoryError):
    """The policy file (or a region given by the user) is unusable."""


# --------------------------------------------------------------------------- data model


@dataclass(frozen=True)
class Rule:
    id: str
    verdict: str
    reason: str
    source: str
    source_url: str
    confidence: str
    match: Mapping[str, Any]
    code: str | None = None


@dataclass(frozen=True)
class Window:
    """Half-open [start, end) in UTC dates; None is an open bound."""

    start: date | None
    end: date | None
    reason: str | None = None
    source_url: str | None = None
    flag: str | None = None


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    source_url: str
    enabled: tuple[Window, ...]
    uncertain: tuple[Window, ...] = ()
    dated_flag: str | None = None
    dated_flag_reason: str | None = None


@dataclass(frozen=True)
class Override:
    reason: str
    source_url: str
    flag: str | None = None


@dataclass
class Policy:
    id: str
    version: str
    title: str
    effective: date
    last_verified: date
    rules: list[Rule]
    sources: dict[str, str]
    regions: dict[str, Region]
    overrides: dict[str, Override]
    salary_questions: list[str]
    salary_in_text: list[str]
    path: str = "policy.toml"


def _today() -> date:
    return datetime.now(timezone.utc).date()


@dataclass(frozen=True)
class MemberContext:
    region: str | None = None  # a region code (normalise_region) or None when unknown
    opted_out_on: date | None = None  # day the member switched the setting off
    minor: bool = False  # LinkedIn has reason to believe the member is under 18
    today: date = field(default_factory=_today)
    born_in: int | None = None  # birth year if known (Verifications); marks data made as a minor


# --------------------------------------------------------------------------- loading


def _packaged(name: str) -> tuple[str, str]:
    entry = resources.files("inventory") / "data" / name
    return entry.read_text(encoding="utf-8"), f"inventory/data/{name}"


def load_policy(path: Path | None = None) -> Policy:
    """Load and validate a policy file (default: the packaged one). Bad file -> PolicyError."""
    if path is None:
        text, where = _packaged("policy.toml")
    else:
        where = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise PolicyError(where, "policy file not found") from None
        except UnicodeDecodeError:
            raise PolicyError(where, "policy file is not UTF-8 text") from None
        except OSError as exc:
            raise PolicyError(where, f"cannot read policy file ({exc.strerror or 'I/O error'})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(where, f"not valid TOML: {str(exc).splitlines()[0]}") from None
    return _PolicyParser(where).parse(data)


class _PolicyParser:
    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, reason: str) -> PolicyError:
        return PolicyError(self.where, reason)

    def table(self, data: Mapping[str, Any], key: str, ctx: str) -> dict[str, Any]:
        value = data.get(key)
        if not isinstance(value, dict):
            raise self.fail(f"{ctx}: missing table [{key}]")
        return value

    def string(self, data: Mapping[str, Any], key: str, ctx: str, *, optional: bool = False) -> str | None:
        value = data.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{ctx}: '{key}' must be a non-empty string")
        return value

    def day(self, data: Mapping[str, Any], key: str, ctx: str, *, optional: bool = False) -> date | None:
        value = data.get(key)
        if value is None and optional:
            return None
        if isinstance(value, datetime) or not isinstance(value, date):
            raise self.fail(f"{ctx}: '{key}' must be a date (YYYY-MM-DD, unquoted)")
        return value

    def source_url(self, sources: Mapping[str, str], key: str | None, ctx: str) -> str:
        if key is None:
            raise self.fail(f"{ctx}: 'source' is required")
        if key not in sources:
            raise self.fail(f"{ctx}: source key '{key}' is not in [sources]")
        return sources[key]

    def regex_list(self, value: Any, ctx: str) -> list[str]:
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{ctx}: must be a non-empty list of regular expressions")
        for pattern in value:
            self.check_regex(pattern, ctx)
        return value

    def check_regex(self, pattern: str, ctx: str) -> None:
        try:
            pl.select(pl.lit("x").str.contains(f"(?i){pattern}"))
        except Exception:  # polars raises ComputeError for a bad pattern
            raise self.fail(f"{ctx}: invalid regular expression") from None

    def parse(self, data: dict[str, Any]) -> Policy:
        if data.get("schema") != 1:
            raise self.fail("unsupported or missing 'schema' (expected schema = 1)")
        head = self.table(data, "policy", "file")
        sources = self.table(data, "sources", "file")
        for key, url in sources.items():
            if not isinstance(url, str) or not url.strip():
                raise self.fail(f"[sources]: '{key}' must be a URL string")
        patterns = self.table(data, "patterns", "file")
        regions = self.parse_regions(self.table(data, "regions", "file"), sources)
        overrides = self.parse_overrides(self.table(data, "overrides", "file"), sources)
        rules = self.parse_rules(data.get("rules"), sources)
        return Policy(
            id=self.string(head, "id", "[policy]"),
            version=str(head.get("version") or "") or self._missing("[policy]", "version"),
            title=self.string(head, "title", "[policy]", optional=True) or "",
            effective=self.day(head, "effective", "[policy]"),
            last_verified=self.day(head, "last_verified", "[policy]"),
            rules=rules,
            sources=dict(sources),
            regions=regions,
            overrides=overrides,
            salary_questions=self.regex_list(patterns.get("salary_questions"), "[patterns] salary_questions"),
            salary_in_text=self.regex_list(patterns.get("salary_in_text"), "[patterns] salary_in_text"),
            path=self.where,
        )

    def _missing(self, ctx: str, key: str) -> str:
        raise self.fail(f"{ctx}: '{key}' is required")

    def parse_windows(self, value: Any, sources: Mapping[str, str], ctx: str, *, certain: bool) -> tuple[Window, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(f"{ctx}: must be a list of {{ from = DATE, until = DATE }}")
        windows = []
        for i, raw in enumerate(value):
            wctx = f"{ctx}[{i}]"
            if not isinstance(raw, dict) or not set(raw) <= {"from", "until", "reason", "source", "flag"}:
                raise self.fail(f"{wctx}: expected keys from, until, reason, source, flag")
            start = self.day(raw, "from", wctx, optional=True)
            end = self.day(raw, "until", wctx, optional=True)
            if start and end and start >= end:
                raise self.fail(f"{wctx}: 'from' must be before 'until'")
            if certain:
                windows.append(Window(start, end))
            else:
                windows.append(Window(
                    start, end,
                    reason=self.string(raw, "reason", wctx),
                    source_url=self.source_url(sources, raw.get("source"), wctx),
                    flag=self.string(raw, "flag", wctx),
                ))
        return tuple(windows)

    def parse_regions(self, raw: Mapping[str, Any], sources: Mapping[str, str]) -> dict[str, Region]:
        regions: dict[str, Region] = {}
        for code, spec in raw.items():
            ctx = f"[regions.{code}]"
            if code not in REGION_CODES:
                raise self.fail(f"{ctx}: unknown region code (known: {', '.join(REGION_CODES)})")
            if not isinstance(spec, dict):
                raise self.fail(f"{ctx}: must be a table")
            unknown = set(spec) - {"name", "source", "enabled", "uncertain", "dated_flag",
                                   "dated_flag_reason", "dated_flag_source"}
            if unknown:
                raise self.fail(f"{ctx}: unknown key '{sorted(unknown)[0]}'")
            regions[code] = Region(
                code=code,
                name=self.string(spec, "name", ctx),
                source_url=self.source_url(sources, spec.get("source"), ctx),
                enabled=self.parse_windows(spec.get("enabled", []), sources, f"{ctx} enabled", certain=True),
                uncertain=self.parse_windows(spec.get("uncertain"), sources, f"{ctx} uncertain", certain=False),
                dated_flag=self.string(spec, "dated_flag", ctx, optional=True),
                dated_flag_reason=self.string(spec, "dated_flag_reason", ctx, optional=True),
            )
        missing = [c for c in REGION_CODES if c not in regions]
        if missing:
            raise self.fail(f"[regions]: region '{missing[0]}' is missing")
        return regions

    def parse_overrides(self, raw: Mapping[str, Any], sources: Mapping[str, str]) -> dict[str, Override]:
        overrides = {}
        for name in OVERRIDES:
            ctx = f"[overrides.{name}]"
            spec = raw.get(name)
            if not isinstance(spec, dict):
                raise self.fail(f"{ctx}: missing")
            overrides[name] = Override(
                reason=self.string(spec, "reason", ctx),
                source_url=self.source_url(sources, spec.get("source"), ctx),
                flag=self.string(spec, "flag", ctx, optional=name not in ("region-unknown", "salary-in-text")),
            )
        return overrides

    def parse_rules(self, raw: Any, sources: Mapping[str, str]) -> list[Rule]:
        if not isinstance(raw, list) or not raw:
            raise self.fail("no [[rules]]")
        rules: list[Rule] = []
        seen: set[str] = set()
        for i, spec in enumerate(raw):
            if not isinstance(spec, dict):
                raise self.fail(f"rule #{i + 1}: must be a table")
            rid = self.string(spec, "id", f"rule #{i + 1}")
            ctx = f"rule '{rid}'"
            if rid in seen:
                raise self.fail(f"{ctx}: duplicate id")
            seen.add(rid)
            unknown = set(spec) - {"id", "match", "verdict", "code", "reason", "source", "confidence"}
            if unknown:
                raise self.fail(f"{ctx}: unknown key '{sorted(unknown)[0]}'")
            verdict = spec.get("verdict")
            if verdict not in VERDICTS:
                raise self.fail(f"{ctx}: verdict must be one of {', '.join(VERDICTS)}")
            code = spec.get("code")
            if verdict == "excluded" and code not in EXCLUDED_CODES:
                raise self.fail(f"{ctx}: excluded rules need a code among {', '.join(EXCLUDED_CODES)}")
            if verdict != "excluded" and code is not None:
                raise self.fail(f"{ctx}: only excluded rules take a code")
            confidence = spec.get("confidence")
            if confidence not in CONFIDENCES:
                raise self.fail(f"{ctx}: confidence must be one of {', '.join(CONFIDENCES)}")
            match = spec.get("match")
            if not isinstance(match, dict):
                raise self.fail(f"{ctx}: 'match' must be a table (use {{}} for the fallback)")
            self.check_match(match, ctx)
            is_last = i == len(raw) - 1
            if not match and not is_last:
                raise self.fail(f"{ctx}: an empty match hides every later rule; only the last rule may have one")
            if is_last and match:
                raise self.fail(f"{ctx}: the last rule must be a fallback with match = {{}}")
            if is_last and verdict != "uncertain":
                raise self.fail(f"{ctx}: the fallback rule must give 'uncertain'")
            rules.append(Rule(
                id=rid, verdict=verdict, code=code,
                reason=self.string(spec, "reason", ctx),
                source=spec.get("source") or "",
                source_url=self.source_url(sources, spec.get("source"), ctx),
                confidence=confidence, match=match,
            ))
        return rules

    def check_match(self, match: Mapping[str, Any], ctx: str) -> None:
        for key, value in match.items():
            mctx = f"{ctx}: match.{key}"
            if key not in MATCH_KEYS:
                raise self.fail(f"{ctx}: unknown match key '{key}' (known: {', '.join(sorted(MATCH_KEYS))})")
            if key in ("file_kind", "kind", "field", "visibility", "regions", "empty", "nonempty"):
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or not value:
                    raise self.fail(f"{mctx} must be a non-empty list of strings")
                if key == "regions" and not set(value) <= set(REGION_CODES):
                    raise self.fail(f"{mctx}: unknown region code")
                if key in ("empty", "nonempty"):
                    for ref in value:
                        self.check_ref(ref, mctx)
            elif key == "field_regex":
                if not isinstance(value, str):
                    raise self.fail(f"{mctx} must be a string")
                self.check_regex(value, mctx)
            elif key == "cell_regex":
                if not isinstance(value, dict) or not value:
                    raise self.fail(f"{mctx} must be a table of reference = regex")
                for ref, pattern in value.items():
                    self.check_ref(ref, mctx)
                    if not isinstance(pattern, str):
                        raise self.fail(f"{mctx}: patterns must be strings")
                    self.check_regex(pattern, mctx)
            elif key == "salary_question":
                if not isinstance(value, bool):
                    raise self.fail(f"{mctx} must be true or false")
            elif key in ("date_from", "date_until"):
                if isinstance(value, datetime) or not isinstance(value, date):
                    raise self.fail(f"{mctx} must be a date")

    def check_ref(self, ref: str, ctx: str) -> None:
        for part in ref.split("|"):
            if part.startswith("fields."):
                if not part[len("fields."):]:
                    raise self.fail(f"{ctx}: empty cell name in '{ref}'")
            elif part not in ITEM_REFS:
                raise self.fail(f"{ctx}: unknown column '{part}' (use an item column or fields.<cell>)")


# --------------------------------------------------------------------------- regions

_REGION_ALIASES = {
    "eu": "eu", "eea": "eu", "ue": "eu", "uk": "uk", "gb": "uk", "ch": "ch", "ca": "ca",
    "hk": "hk", "us": "us", "usa": "us", "other": "other", "autre": "other",
}


def _fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key for country names."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", letters).split())


@dataclass(frozen=True)
class _CountryTable:
    region_of_code: dict[str, str]  # ISO alpha-2 -> region code
    code_of_name: dict[str, str]  # folded name -> ISO alpha-2


@lru_cache(maxsize=1)
def _countries() -> _CountryTable:
    text, where = _packaged("regions.toml")
    data = tomllib.loads(text)
    region_of_code: dict[str, str] = {}
    for region, codes in data["regions"].items():
        for code in codes:
            region_of_code[code.upper()] = region
    code_of_name: dict[str, str] = {}
    try:  # country names in many languages, shipped with a dependency we already have
        from phonenumbers.geodata.locale import LOCALE_DATA  # noqa: PLC0415
    except ImportError:  # pragma: no cover - the aliases still cover the policy regions
        LOCALE_DATA = {}
    for code, names in LOCALE_DATA.items():
        if len(code) != 2 or not code.isalpha():
            continue
        for name in names.values():
            if not name.startswith("*"):  # "*xx" points to another language's entry
                code_of_name.setdefault(_fold(name), code.upper())
    for name, code in data["aliases"].items():
        code_of_name[_fold(name)] = code.upper()
    return _CountryTable(region_of_code, code_of_name)


def _region_of_country(code: str) -> str | None:
    table = _countries()
    code = code.upper()
    if code in table.region_of_code:
        return table.region_of_code[code]
    if code in set(table.code_of_name.values()):
        return "other"
    return None


def normalise_region(value: str) -> str:
    """A region code from a region code, an ISO country code or a country name."""
    folded = _fold(value or "")
    if folded in _REGION_ALIASES:
        return _REGION_ALIASES[folded]
    if len(folded) == 2:
        region = _region_of_country(folded)
        if region:
            return region
    code = _countries().code_of_name.get(folded)
    if code:
        return _region_of_country(code) or "other"
    raise PolicyError("--region", "unknown region or country (use eu, uk, ch, ca, hk, us, other, an ISO code or a country name)")


def _region_from_place(text: str) -> str | None:
    """Region from free text such as 'Lyon, Auvergne-Rhône-Alpes, France' (country last)."""
    table = _countries()
    parts = [p for p in re.split(r"[,;/|]", text) if p.strip()]
    for part in reversed(parts):
        folded = _fold(re.sub(r"\d+", " ", part))  # "75001 Paris" -> "paris"
        if not folded:
            continue
        code = table.code_of_name.get(folded)
        if code:
            return _region_of_country(code) or "other"
        if len(folded) == 2 and folded.upper() in table.region_of_code:
            return table.region_of_code[folded.upper()]
    return None


# (file_kind, field or cell) in order of trust: the member's own profile first.
_PLACE_SOURCES: tuple[tuple[str, str], ...] = (
    ("profile", "Geo Location"),
    ("profile", "Country"),
    ("profile", "Location"),
    ("verifications", "Country"),
    ("registration", "Country"),
    ("receipts", "Billing Country"),
    ("receipts_v2", "Billing Country"),
    ("security_challenges", "Country"),
)


def infer_region(items: pl.DataFrame) -> str | None:
    """The member's region from Profile Geo Location and account records, or None."""
    if items.is_empty():
        return None
    for file_kind, name in _PLACE_SOURCES:
        rows = items.filter(pl.col("file_kind") == file_kind)
        if rows.is_empty():
            continue
        per_field = rows.filter(pl.col("field") == name).get_column("text")
        cell = rows.get_column("fields").str.json_path_match(_json_path(name))
        values = pl.concat([per_field, cell]).drop_nulls()
        # Most frequent first (security challenges list many rows), ties by first seen.
        counts = values.str.strip_chars().filter(values.str.strip_chars() != "").value_counts(sort=True)
        for value in counts.get_column(counts.columns[0]).to_list():
            region = _region_from_place(value)
            if region:
                return region
    return None


# --------------------------------------------------------------------------- classification


def _json_path(cell: str) -> str:
    return "$['" + cell.replace("\\", "\\\\").replace("'", "\\'") + "']"


def _ref_expr(ref: str) -> pl.Expr:
    """`text`, `fields.Cell` or alternatives `a|b`: the first non-empty value."""
    exprs = []
    for part in ref.split("|"):
        if part.startswith("fields."):
            exprs.append(pl.col("fields").str.json_path_match(_json_path(part[len("fields."):])))
        else:
            exprs.append(pl.col(part).cast(pl.String))
    cleaned = [pl.when(e.str.strip_chars() != "").then(e) for e in exprs]
    return cleaned[0] if len(cleaned) == 1 else pl.coalesce(cleaned)


def _any_regex(patterns: list[str]) -> str:
    return "(?i)(?:" + "|".join(f"(?:{p})" for p in patterns) + ")"


def _lower_list(values: list[str]) -> list[str]:
    return [v.lower() for v in values]


def _rule_expr(rule: Rule, region: str | None) -> pl.Expr | None:
    """Boolean expression for a rule's match; None if the rule cannot apply to this member."""
    m = rule.match
    if "regions" in m and region not in m["regions"]:
        return None
    conds: list[pl.Expr] = []
    if "file_kind" in m:
        conds.append(pl.col("file_kind").is_in(m["file_kind"]))
    if "kind" in m:
        conds.append(pl.col("kind").is_in(m["kind"]))
    if "field" in m:
        conds.append(pl.col("field").str.to_lowercase().is_in(_lower_list(m["field"])))
    if "field_regex" in m:
        conds.append(pl.col("field").str.contains(f"(?i){m['field_regex']}"))
    if "visibility" in m:
        wanted = [v.upper() for v in m["visibility"]]
        vis = pl.col("visibility").str.strip_chars().str.to_uppercase()
        cond = vis.is_in([v for v in wanted if v])
        if "" in wanted:
            cond = cond | vis.is_null() | (vis == "")
        conds.append(cond)
    for ref in m.get("empty", []):
        conds.append(_ref_expr(ref).is_null())
    for ref in m.get("nonempty", []):
        conds.append(_ref_expr(ref).is_not_null())
    for ref, pattern in m.get("cell_regex", {}).items():
        conds.append(_ref_expr(ref).str.contains(f"(?i){pattern}"))
    if "salary_question" in m:
        cond = pl.col("_salary_q")
        conds.append(cond if m["salary_question"] else ~cond)
    if "date_from" in m:
        conds.append(pl.col("date") >= _utc(m["date_from"]))
    if "date_until" in m:
        conds.append(pl.col("date") < _utc(m["date_until"]))
    if not conds:
        return pl.lit(True)
    return pl.all_horizontal(conds).fill_null(False)


def _utc(day: date | None, default: datetime = _MIN) -> datetime:
    if day is None:
        return default
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def _lit_dt(value: datetime) -> pl.Expr:
    return pl.lit(value, dtype=_DT)


def _windows_exprs(windows: tuple[Window, ...], start: pl.Expr, stop: pl.Expr):
    """Per window: (overlaps, from, until) of [start, stop) with the window."""
    out = []
    for w in windows:
        lo = pl.max_horizontal(start, _lit_dt(_utc(w.start, _MIN)))
        hi = pl.min_horizontal(stop, _lit_dt(_utc(w.end, _MAX)))
        out.append((w, lo < hi, lo, hi))
    return out


def _null_dt() -> pl.Expr:
    return pl.lit(None, dtype=_DT)


def classify(items: pl.DataFrame, policy: Policy, context: MemberContext) -> pl.DataFrame:
    """The item table plus exposure, exposure_reason, rule, source_url, eligible_from,
    eligible_until and flags (see docs/architecture.md)."""
    missing = [c for c in ITEM_SCHEMA if c not in items.columns]
    if missing:
        raise PolicyError("item table", f"missing column '{missing[0]}'")
    if context.region is not None and context.region not in policy.regions:
        raise PolicyError("--region", "unknown region code (use normalise_region first)")
    if context.opted_out_on is not None and context.opted_out_on > context.today:
        raise PolicyError("--opted-out-on", "date is in the future")
    base_cols = items.columns
    ov = policy.overrides

    # 1. Rule per item: first match wins.
    rule_index = pl.lit(len(policy.rules) - 1, dtype=pl.Int32)  # fallback
    for index in range(len(policy.rules) - 2, -1, -1):  # built back to front: first rule outermost
        cond = _rule_expr(policy.rules[index], context.region)
        if cond is not None:
            rule_index = pl.when(cond).then(pl.lit(index, dtype=pl.Int32)).otherwise(rule_index)
    rule_table = pl.DataFrame({
        "_rule_index": pl.Series(range(len(policy.rules)), dtype=pl.Int32),
        "_rule_id": [r.id for r in policy.rules],
        "_verdict": [r.verdict for r in policy.rules],
        "_reason": [r.code if r.verdict == "excluded" else r.reason for r in policy.rules],
        "_source_url": [r.source_url for r in policy.rules],
    })
    question = pl.coalesce(
        pl.when(pl.col("field").str.strip_chars() != "").then(pl.col("field")),
        pl.col("fields").str.json_path_match(_json_path("Question")),
        pl.col("title"),
    )
    salary_text = pl.concat_str([pl.col("title").fill_null(""), pl.col("text").fill_null("")], separator="\n")
    frame = (
        items.lazy()
        .with_columns(
            _salary_q=question.str.contains(_any_regex(policy.salary_questions)).fill_null(False),
            _salary_text=salary_text.str.contains(_any_regex(policy.salary_in_text)).fill_null(False),
        )
        .with_columns(_rule_index=rule_index)
        .join(rule_table.lazy(), on="_rule_index", how="left", maintain_order="left")
    )

    # 2. Member-level overrides, as constant-date expressions.
    verdict, reason, rule_id, source = pl.col("_verdict"), pl.col("_reason"), pl.col("_rule_id"), pl.col("_source_url")
    exposed = verdict.is_in(["training", "uncertain"])  # what the setting and regions govern
    item_start = pl.col("date").fill_null(_lit_dt(_MIN))  # undated (profile) items exist "already"
    optout = _utc(context.opted_out_on) if context.opted_out_on else None
    after_optout = (pl.col("date") >= _lit_dt(optout)).fill_null(False) if optout else pl.lit(False)
    stop = _lit_dt(optout or _MAX)
    flag_exprs: list[pl.Expr] = []
    eligible_from, eligible_until = _null_dt(), _null_dt()
    certain, maybe = pl.lit(True), pl.lit(False)
    maybe_reason, maybe_source = pl.lit(None, pl.String), pl.lit(None, pl.String)
    maybe_from, maybe_until = _null_dt(), _null_dt()

    if context.region is None:
        eligible_until = _lit_dt(optout) if optout else _null_dt()
        flag_exprs.append(pl.when(exposed & ~after_optout).then(pl.lit(ov["region-unknown"].flag)))
    else:
        region = policy.regions[context.region]
        sure = _windows_exprs(region.enabled, item_start, stop)
        unsure = _windows_exprs(region.uncertain, item_start, stop)
        if sure:
            certain = pl.any_horizontal([o for _, o, _, _ in sure])
            eligible_from = pl.min_horizontal([pl.when(o).then(lo) for _, o, lo, _ in sure])
            eligible_until = pl.max_horizontal([pl.when(o).then(hi) for _, o, _, hi in sure])
        else:
            certain = pl.lit(False)
        if unsure:
            maybe = pl.any_horizontal([o for _, o, _, _ in unsure])
            first = None
            for w, o, lo, hi in reversed(unsure):  # the earliest listed window explains first
                first = (pl.when(o).then(pl.lit(w.reason)).otherwise(first if first is not None else pl.lit(None, pl.String)))
            maybe_reason = first
            maybe_source = pl.coalesce([pl.when(o).then(pl.lit(w.source_url)) for w, o, _, _ in unsure])
            maybe_from = pl.min_horizontal([pl.when(o).then(lo) for _, o, lo, _ in unsure])
            maybe_until = pl.max_horizontal([pl.when(o).then(hi) for _, o, _, hi in unsure])
            for w, o, lo, _ in unsure:  # earlier use possible before the certain window
                flag_exprs.append(pl.when(exposed & certain & ~after_optout & o & (lo < eligible_from)).then(pl.lit(w.flag)))
        if region.dated_flag:
            flag_exprs.append(pl.when(exposed & certain & ~after_optout & pl.col("date").is_not_null()).then(pl.lit(region.dated_flag)))
    eligible_until = pl.when(eligible_until == _lit_dt(_MAX)).then(_null_dt()).otherwise(eligible_until)
    maybe_until = pl.when(maybe_until == _lit_dt(_MAX)).then(_null_dt()).otherwise(maybe_until)

    made_as_minor = pl.lit(False)
    if context.born_in is not None:  # born in year Y: certainly adult only from 1 Jan Y+19
        adult = datetime(context.born_in + 19, 1, 1, tzinfo=timezone.utc)
        made_as_minor = (pl.col("date") < _lit_dt(adult)).fill_null(False)

    def pick(minor, optout_v, not_enabled, window, as_minor, default):
        return (
            pl.when(pl.lit(context.minor)).then(minor)
            .when(exposed & after_optout).then(optout_v)
            .when(exposed & ~certain & ~maybe).then(not_enabled)
            .when(exposed & ~certain & maybe).then(window)
            .when((verdict == "training") & made_as_minor).then(as_minor)
            .otherwise(default)
        )

    lit = pl.lit
    no_window = pl.lit(context.region is None)  # region unknown: nothing to compute
    certain = certain | no_window
    maybe = maybe & ~no_window
    frame = frame.with_columns(
        exposure=pick(lit("excluded"), lit("excluded"), lit("excluded"), lit("uncertain"), lit("uncertain"), verdict),
        exposure_reason=pick(lit("minor"), lit("opted-out"), lit("region-not-enabled"), maybe_reason,
                             lit(ov["minor-at-creation"].reason), reason),
        rule=pick(lit("member.minor"), lit("member.opted-out"), lit("member.region-not-enabled"),
                  lit("member.region-window"), lit("member.minor-at-creation"), rule_id),
        source_url=pick(lit(ov["minor"].source_url), lit(ov["opted-out"].source_url),
                        lit(ov["region-not-enabled"].source_url), maybe_source,
                        lit(ov["minor-at-creation"].source_url), source),
        eligible_from=pick(_null_dt(), _null_dt(), _null_dt(), maybe_from, eligible_from,
                           pl.when(exposed).then(eligible_from)),
        eligible_until=pick(_null_dt(), _null_dt(), _null_dt(), maybe_until, eligible_until,
                            pl.when(exposed).then(eligible_until)),
    )
    salary_flag = pl.when(pl.col("exposure").is_in(["training", "uncertain"]) & pl.col("_salary_text")).then(lit(ov["salary-in-text"].flag))
    flags = [salary_flag] + [pl.when(~lit(context.minor)).then(f) for f in flag_exprs]
    frame = frame.with_columns(
        flags=pl.concat_list([f.cast(pl.String) for f in flags]).list.drop_nulls(),
    )
    return frame.select(*base_cols, *ADDED_COLUMNS).collect()


def summarise(frame: pl.DataFrame) -> dict:
    """Counts by exposure, by excluded reason code and by flag."""
    by_exposure = {v: 0 for v in VERDICTS}
    for verdict, count in frame.group_by("exposure").len().iter_rows():
        by_exposure[verdict] = count
    excluded = frame.filter(pl.col("exposure") == "excluded")
    by_reason = dict(sorted(excluded.group_by("exposure_reason").len().iter_rows()))
    flags = frame.select(pl.col("flags").explode().drop_nulls()).group_by("flags").len()
    return {
        "total": frame.height,
        "by_exposure": by_exposure,
        "by_reason": by_reason,
        "by_flag": dict(sorted(flags.iter_rows())),
    }


def _describe_match(match: Mapping[str, Any]) -> str:
    if not match:
        return "anything not matched above"
    parts = []
    for key, value in match.items():
        if isinstance(value, list):
            parts.append(f"{key} in {', '.join(value)}")
        elif isinstance(value, dict):
            parts.append(", ".join(f"{ref} ~ /{p}/" for ref, p in value.items()))
        elif key == "salary_question":
            parts.append("question is about salary" if value else "question is not about salary")
        else:
            parts.append(f"{key} = {value}")
    return "; ".join(parts)


def describe_policy(policy: Policy) -> list[dict]:
    """The rules in force, in order, then the member overrides and region windows."""
    rows: list[dict] = []
    for rule in policy.rules:
        rows.append({
            "section": "rule", "id": rule.id, "match": _describe_match(rule.match),
            "verdict": rule.verdict, "code": rule.code, "reason": rule.reason,
            "confidence": rule.confidence, "source": rule.source, "source_url": rule.source_url,
        })
    verdict_of = {"minor": ("excluded", "minor"), "opted-out": ("excluded", "opted-out"),
                  "region-not-enabled": ("excluded", "region-not-enabled"),
                  "minor-at-creation": ("uncertain", None)}
    for name, override in policy.overrides.items():
        verdict, code = verdict_of.get(name, ("flag", override.flag))
        rows.append({
            "section": "override", "id": f"member.{name}", "match": name, "verdict": verdict,
            "code": code, "reason": override.reason, "confidence": None, "source": None,
            "source_url": override.source_url,
        })
    for region in policy.regions.values():
        def span(w: Window) -> str:
            return f"{w.start or '…'} to {w.end or 'open'}"
        enabled = "; ".join(span(w) for w in region.enabled) or "never"
        rows.append({
            "section": "region", "id": f"region.{region.code}", "match": region.name,
            "verdict": "training", "code": None, "reason": f"enabled {enabled}",
            "confidence": None, "source": None, "source_url": region.source_url,
        })
        for w in region.uncertain:
            rows.append({
                "section": "region", "id": f"region.{region.code}", "match": region.name,
                "verdict": "uncertain", "code": None, "reason": f"{span(w)}: {w.reason}",
                "confidence": None, "source": None, "source_url": w.source_url,
            })
    return rows
