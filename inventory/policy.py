"""Verdicts per item under LinkedIn's generative-AI training policy.

The rules are data (inventory/data/policy.toml, format in docs/policy.md); this module only
loads, validates and applies them. Classification is vectorised: every rule becomes a polars
boolean expression, a `when/then` chain picks the first matching rule per item, and the
member-level overrides (minor, opt-out date, region windows) are further expressions over
constant dates. No Python loop runs per row.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import polars as pl

from inventory.errors import InventoryError
from inventory.files import describe_os_error, read_regular
from inventory.fold import fold_words, fold_words_expr
from inventory.i18n import catalogue, t
from inventory.items import ITEM_SCHEMA, distinct_rows, filled

VERDICTS = ("training", "excluded", "other", "uncertain")
# The contract of `exposure_reason` for excluded items (README, docs/policy.md). No export holds
# payment methods or log-in credentials, so no rule could give those codes; receipts are billing
# data (`other`). A test checks that each code is produced by a rule or an override.
RULE_CODES = ("private-message", "salary", "job-application")
OVERRIDE_CODES = ("minor", "opted-out", "region-not-enabled")
EXCLUDED_CODES = RULE_CODES + OVERRIDE_CODES
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
    flag: str | None = None  # added to the items this rule decides (unless an override excludes them)
    seen_in: Mapping[str, str] = field(default_factory=dict)  # matched value -> where it was seen


@dataclass(frozen=True)
class Window:
    """Half-open [start, end) in UTC dates; None is an open bound."""

    start: date | None
    end: date | None
    reason: str | None = None
    source_url: str | None = None
    flag: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    source: str
    source_url: str
    enabled: tuple[Window, ...]
    uncertain: tuple[Window, ...] = ()
    dated_flag: str | None = None
    dated_flag_reason: str | None = None
    dated_flag_source: str | None = None


@dataclass(frozen=True)
class Override:
    reason: str
    source: str
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
    translated: bool = False  # the packaged file: its words are in the catalogues (`policy.<key>`)

    @cached_property
    def words(self) -> dict[str, str]:
        """Every reason key -> its English text, as the file words it: `rule.<id>`,
        `override.<name>`, `window.<region>.<j>` (an uncertain window), `dated-flag.<region>`.
        `classify` stores these keys in `exposure_reason`; `reason_words` renders them."""
        out = {f"rule.{rule.id}": rule.reason for rule in self.rules}
        out.update({f"override.{name}": override.reason for name, override in self.overrides.items()})
        for region in self.regions.values():
            if region.dated_flag_reason:
                out[f"dated-flag.{region.code}"] = region.dated_flag_reason
            for j, window in enumerate(region.uncertain):
                out[f"window.{region.code}.{j}"] = window.reason or ""
        return out

    def cell_names(self) -> frozenset[str]:
        """The original cells `classify` and `infer_region` read: every `fields.<cell>` a rule
        refers to, and the account records' place columns. Callers add them to the items as
        `fields.<cell>` columns (ScanResult.with_cells); cells left out read as empty."""
        names = {name for _, name in _PLACE_SOURCES}
        for rule in self.rules:
            names.update(_cell_refs(rule.match))
        return frozenset(names)


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
    packaged = path is None
    if path is None:
        text, where = _packaged("policy.toml")
    else:
        where = str(path)
        try:
            # Regular files only: a FIFO in the file's place is refused, not waited on.
            text = read_regular(Path(path)).decode("utf-8")
        except FileNotFoundError:
            raise PolicyError(where, "policy file not found") from None
        except UnicodeDecodeError:
            raise PolicyError(where, "policy file is not UTF-8 text") from None
        except OSError as exc:
            raise PolicyError(where, f"cannot read policy file ({describe_os_error(exc)})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(where, f"not valid TOML: {str(exc).splitlines()[0]}") from None
    policy = _PolicyParser(where).parse(data)
    policy.translated = packaged
    return policy


@lru_cache(maxsize=1)
def packaged_policy() -> Policy:
    """The packaged policy, loaded once (for renderings given no policy)."""
    return load_policy()


class _PolicyParser:
    def __init__(self, where: str) -> None:
        self.where = where
        self.regexes: list[tuple[str, str]] = []  # (pattern, where in the file), see check_regexes

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
        """Checked with the others once `parse` ends (check_regexes)."""
        self.regexes.append((pattern, ctx))

    def check_regexes(self) -> None:
        """Every pattern the policy gives, compiled by polars (the engine that runs them) in one
        query, not one each (21 queries took 15 ms of each start); one by one only to name the
        first invalid one."""
        def compiles(patterns: list[str]) -> bool:
            try:
                pl.select([pl.lit("x").str.contains(_regex(p)).alias(str(i)) for i, p in enumerate(patterns)])
            except Exception:  # polars raises ComputeError for a bad pattern
                return False
            return True

        if self.regexes and not compiles([pattern for pattern, _ in self.regexes]):
            ctx = next(ctx for pattern, ctx in self.regexes if not compiles([pattern]))
            raise self.fail(f"{ctx}: invalid regular expression")

    def parse(self, data: dict[str, Any]) -> Policy:
        try:
            policy = self._parse(data)
        except PolicyError:
            self.check_regexes()  # a pattern before the error explains it first, as if checked at once
            raise
        self.check_regexes()
        return policy

    def _parse(self, data: dict[str, Any]) -> Policy:
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
                    source=raw.get("source"),
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
                source=spec.get("source") or "",
                source_url=self.source_url(sources, spec.get("source"), ctx),
                enabled=self.parse_windows(spec.get("enabled", []), sources, f"{ctx} enabled", certain=True),
                uncertain=self.parse_windows(spec.get("uncertain"), sources, f"{ctx} uncertain", certain=False),
                dated_flag=self.string(spec, "dated_flag", ctx, optional=True),
                dated_flag_reason=self.string(spec, "dated_flag_reason", ctx, optional=True),
                dated_flag_source=spec.get("dated_flag_source"),
            )
            if spec.get("dated_flag_source") is not None:
                self.source_url(sources, spec["dated_flag_source"], ctx)
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
                source=spec.get("source") or "",
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
            unknown = set(spec) - {"id", "match", "verdict", "code", "reason", "source", "confidence",
                                   "flag", "seen_in"}
            if unknown:
                raise self.fail(f"{ctx}: unknown key '{sorted(unknown)[0]}'")
            verdict = spec.get("verdict")
            if verdict not in VERDICTS:
                raise self.fail(f"{ctx}: verdict must be one of {', '.join(VERDICTS)}")
            code = spec.get("code")
            if verdict == "excluded" and code not in RULE_CODES:
                raise self.fail(f"{ctx}: excluded rules need a code among {', '.join(RULE_CODES)}")
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
                flag=self.string(spec, "flag", ctx, optional=True),
                seen_in=self.seen_in(spec.get("seen_in"), match, ctx),
            ))
        return rules

    def seen_in(self, value: Any, match: Mapping[str, Any], ctx: str) -> dict[str, str]:
        """`seen_in = { VALUE = "where it was seen" }`: each key must be a value the rule keys on
        (a listed visibility, field or file kind, a cell reference or a regex of the match)."""
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(isinstance(v, str) and v.strip() for v in value.values()):
            raise self.fail(f"{ctx}: 'seen_in' must be a table of value = \"where it was seen\"")
        keyed = set(_match_values(match))
        for key in value:
            if key not in keyed:
                raise self.fail(f"{ctx}: seen_in names '{key}', which the rule's match does not key on")
        return dict(value)

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


# --------------------------------------------------------------------------- reasons in words


def reason_words(policy: Policy, key: str | None, lang: str = "en") -> str:
    """The words of a reason key (`Policy.words`: an `exposure_reason` of `classify`, a
    `describe_policy` row's key) in `lang`. The packaged policy's words are translated in the
    catalogues (`policy.<key>`); a policy file of one's own is shown as it words it. Anything
    else (an exclusion code, a hand-made text) is its own word."""
    key = key or ""
    english = policy.words.get(key)
    if english is None:
        return key
    if lang != "en" and policy.translated and f"policy.{key}" in catalogue().get(lang, {}):
        return t(f"policy.{key}", lang)
    return english


# --------------------------------------------------------------------------- regions

_REGION_ALIASES = {
    "eu": "eu", "eea": "eu", "ue": "eu", "uk": "uk", "gb": "uk", "ch": "ch", "ca": "ca",
    "hk": "hk", "us": "us", "usa": "us", "other": "other", "autre": "other",
}


def _fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key for country names."""
    return fold_words(text).strip(" ")


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
    # Country names in many languages, from a table of our own (importing phonenumbers' geodata
    # for them cost half a second and 99 MiB at every start).
    names = json.loads(_packaged("countries.json")[0])["names"]
    # Folded by polars in one call (fold.py's two forms agree): 3,700 names one by one in
    # Python cost 0.09 s of every start.
    folded = pl.select(fold_words_expr(pl.lit(pl.Series([name for name, _ in names], dtype=pl.String)))
                       .str.strip_chars(" ")).to_series().to_list()
    for key, (_, code) in zip(folded, names):
        code_of_name.setdefault(key, code)
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
    """The member's region from Profile Geo Location and account records, or None. Account
    records' cells are read from `fields.<cell>` columns (Policy.cell_names); absent ones are
    skipped."""
    if items.is_empty():
        return None
    for file_kind, name in _PLACE_SOURCES:
        rows = items.filter(pl.col("file_kind") == file_kind)
        if rows.is_empty():
            continue
        per_field = rows.filter(pl.col("field") == name).get_column("text")
        column = f"fields.{name}"
        values = per_field
        if column in rows.columns:
            values = pl.concat([per_field, rows.get_column(column).cast(pl.String).alias(per_field.name)])
        values = values.drop_nulls()
        # Most frequent first (security challenges list many rows), ties by first seen.
        counts = values.str.strip_chars().filter(values.str.strip_chars() != "").value_counts(sort=True)
        for value in counts.get_column(counts.columns[0]).to_list():
            region = _region_from_place(value)
            if region:
                return region
    return None


# --------------------------------------------------------------------------- classification


def _refs(match: Mapping[str, Any]) -> list[str]:
    """Every column reference of a rule's match (`a|b` alternatives split)."""
    refs = [*match.get("empty", []), *match.get("nonempty", []), *match.get("cell_regex", {})]
    return [part for ref in refs for part in ref.split("|")]


def _match_values(match: Mapping[str, Any]) -> list[str]:
    """The export values a rule keys on: listed visibilities, fields and file kinds, regexes,
    and the references of empty/nonempty/cell_regex (what `seen_in` may annotate)."""
    values: list[str] = []
    for key in ("visibility", "field", "file_kind"):
        values += match.get(key, [])
    values += match.get("empty", []) + match.get("nonempty", [])
    for ref, pattern in match.get("cell_regex", {}).items():
        values += [ref, pattern]
    if "field_regex" in match:
        values.append(match["field_regex"])
    return values


def _cell_refs(match: Mapping[str, Any]) -> set[str]:
    """The original cells a rule's match reads (`fields.<cell>` references)."""
    return {ref[len("fields."):] for ref in _refs(match) if ref.startswith("fields.")}


def _ref_expr(ref: str) -> pl.Expr:
    """`text`, `fields.Cell` or alternatives `a|b`: the first non-empty value. `fields.Cell` is
    the item table's column of that name (see Policy.cell_names)."""
    exprs = [pl.col(part).cast(pl.String) for part in ref.split("|")]
    cleaned = [pl.when(e.str.strip_chars() != "").then(e) for e in exprs]
    return cleaned[0] if len(cleaned) == 1 else pl.coalesce(cleaned)


_WORD_BOUNDARY = re.compile(r"(?<!\\)\\([bB])")


def _regex(pattern: str) -> str:
    """Case-insensitive, with ASCII word boundaries: a Unicode \\b makes the regex engine fall
    back to its slow path on any non-ASCII text (about 40x slower on French text)."""
    return "(?i)" + _WORD_BOUNDARY.sub(r"(?-u:\\\1)", pattern)


def _any_regex(patterns: list[str]) -> str:
    return _regex("(?:" + "|".join(f"(?:{p})" for p in patterns) + ")")


def _lower_list(values: list[str]) -> list[str]:
    return [v.lower() for v in values]


_KEY_COLUMNS = ("kind", "file_kind", "field", "visibility")


def _static_conds(m: Mapping[str, Any]) -> list[pl.Expr]:
    """Conditions on the low-cardinality key columns (evaluated once per distinct key)."""
    conds: list[pl.Expr] = []
    if "file_kind" in m:
        conds.append(pl.col("file_kind").is_in(m["file_kind"]))
    if "kind" in m:
        conds.append(pl.col("kind").is_in(m["kind"]))
    if "field" in m:
        conds.append(pl.col("field").str.to_lowercase().is_in(_lower_list(m["field"])))
    if "field_regex" in m:
        conds.append(pl.col("field").str.contains(_regex(m["field_regex"])))
    if "visibility" in m:
        wanted = [v.upper() for v in m["visibility"]]
        vis = pl.col("visibility").str.strip_chars().str.to_uppercase()
        cond = vis.is_in([v for v in wanted if v])
        if "" in wanted:
            cond = cond | vis.is_null() | (vis == "")
        conds.append(cond)
    return conds


def _dynamic_features(m: Mapping[str, Any]) -> list[tuple[str, pl.Expr]]:
    """Per-row conditions (cell contents, dates) as (stable name, boolean expression)."""
    feats: list[tuple[str, pl.Expr]] = []
    for ref in m.get("empty", []):
        feats.append((f"empty {ref}", _ref_expr(ref).is_null()))
    for ref in m.get("nonempty", []):
        feats.append((f"nonempty {ref}", _ref_expr(ref).is_not_null()))
    for ref, pattern in m.get("cell_regex", {}).items():
        feats.append((f"cell {ref} {pattern}", _ref_expr(ref).str.contains(_regex(pattern))))
    if "date_from" in m:
        feats.append((f"date_from {m['date_from']}", pl.col("date") >= _utc(m["date_from"])))
    if "date_until" in m:
        feats.append((f"date_until {m['date_until']}", pl.col("date") < _utc(m["date_until"])))
    return feats


def _match_rules(items: pl.DataFrame, policy: Policy, region: str | None) -> pl.Series:
    """Index of the first matching rule per row.

    Per-row facts (cell contents, dates, salary questions) are reduced to boolean feature
    columns, computed only on rows of the kinds that need them; the rule chain then runs over the
    distinct (kind, file_kind, field, visibility, features) keys and each row takes its key's
    rule (distinct_rows).
    """
    rules = [r for r in policy.rules if "regions" not in r.match or region in r.match["regions"]]
    feature_names: dict[str, str] = {}  # feature key -> column name
    feature_exprs: dict[str, pl.Expr] = {}
    feature_scope: dict[str, pl.Expr | None] = {}  # None = all rows
    for rule in rules:
        scope_conds = [c for c in _static_conds({k: v for k, v in rule.match.items() if k in ("kind", "file_kind")})]
        scope = pl.all_horizontal(scope_conds).fill_null(False) if scope_conds else None
        feats = _dynamic_features(rule.match)
        if rule.match.get("salary_question") is not None:
            feats.append(("salary_question", _salary_question_expr(policy)))
        for key, expr in feats:
            if key not in feature_names:
                feature_names[key] = f"_f{len(feature_names)}"
                feature_exprs[key] = expr
                feature_scope[key] = scope
            elif feature_scope[key] is not None:
                feature_scope[key] = None if scope is None else (feature_scope[key] | scope)
    columns = _features(items, {name: (feature_scope[key], feature_exprs[key]) for key, name in feature_names.items()})
    keyed = items.select(*_KEY_COLUMNS).with_columns(columns)
    first, key_of_row = distinct_rows(keyed)
    distinct = keyed[first]

    positions = {r.id: i for i, r in enumerate(policy.rules)}
    matched = []  # each rule's index where it matches: the first non-null is the first match
    for rule in rules[:-1]:  # rules[-1] is the fallback (empty match, never filtered)
        conds = _static_conds(rule.match)
        for key, _ in _dynamic_features(rule.match):
            conds.append(pl.col(feature_names[key]))
        if "salary_question" in rule.match:
            flag = pl.col(feature_names["salary_question"])
            conds.append(flag if rule.match["salary_question"] else ~flag)
        cond = pl.all_horizontal(conds).fill_null(False) if conds else pl.lit(True)
        matched.append(pl.when(cond).then(pl.lit(positions[rule.id], dtype=pl.Int32)))
    # One coalesce rather than a chain of when/otherwise fifty deep: half the time.
    index = pl.coalesce([*matched, pl.lit(len(policy.rules) - 1, dtype=pl.Int32)])
    return distinct.select(index.alias("_rule_index")).to_series().gather(key_of_row)


def _features(items: pl.DataFrame, features: dict[str, tuple[pl.Expr | None, pl.Expr]]) -> list[pl.Series]:
    """Each named feature (scope, value) as a Boolean column: `value` where `scope` holds (None:
    on every row), False elsewhere. One query over the rows of any scope, not one per feature:
    each query costs a millisecond or two whatever its rows."""
    if not features:
        return []
    scopes = [scope for scope, _ in features.values()]
    where = pl.lit(True) if any(scope is None for scope in scopes) else pl.any_horizontal(scopes)
    hits = (
        items.lazy().with_row_index("_row").filter(where.fill_null(False))
        .select("_row", *[(value if scope is None else scope & value).fill_null(False).alias(name)
                          for name, (scope, value) in features.items()])
        .collect()
    )
    rows = hits.get_column("_row")
    return [filled(False, items.height, pl.Boolean).scatter(rows, hits.get_column(name))
            .alias(name) for name in features]


def _salary_question_expr(policy: Policy) -> pl.Expr:
    """Sub-items and saved answers carry the question in `field` (and `title`)."""
    question = pl.coalesce(pl.when(pl.col("field").str.strip_chars() != "").then(pl.col("field")), pl.col("title"))
    return question.str.contains(_any_regex(policy.salary_questions))


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
    """The item table plus exposure, exposure_reason (a reason key: Policy.words), rule,
    source_url, eligible_from, eligible_until and flags (see docs/architecture.md)."""
    _check_inputs(items, policy, context)
    base_cols = items.columns
    # Cells the caller did not supply read as empty (only `base_cols` are returned).
    absent = sorted(f"fields.{name}" for name in policy.cell_names() if f"fields.{name}" not in base_cols)
    if absent:
        items = items.with_columns([pl.lit(None, dtype=pl.String).alias(c) for c in absent])
    # 1. Rule per item: first match wins; and whether its text states a salary figure. Only the
    # columns the overrides read are carried (the whole item table would be copied).
    rule_index = _match_rules(items, policy, context.region)
    frame = items.select("date", _rule_index=rule_index, _salary=_salary_in_text(items, policy, rule_index)).lazy()
    # 2. Member-level overrides; the verdict columns are then put beside the items.
    added = _apply_overrides(frame, policy, context).select(*ADDED_COLUMNS).collect()
    return items.select(base_cols).hstack(added)


def _check_inputs(items: pl.DataFrame, policy: Policy, context: MemberContext) -> None:
    missing = [c for c in ITEM_SCHEMA if c not in items.columns]
    if missing:
        raise PolicyError("item table", f"missing column '{missing[0]}'")
    if context.region is not None and context.region not in policy.regions:
        raise PolicyError("--region", "unknown region code (use normalise_region first)")
    if context.opted_out_on is not None and context.opted_out_on > context.today:
        raise PolicyError("--opted-out-on", "date is in the future")


def _member_columns(policy: Policy, context: MemberContext) -> tuple[dict[str, pl.Expr], list]:
    """Per-row facts of the member context, from constant-date expressions: exposed, after the
    opt-out, certainly enabled, which uncertain window, made as a minor, the eligible spans.
    Also the uncertain windows' (window, overlaps, from, until), for the flag bits."""
    index = pl.col("_rule_index")
    exposed = index.is_in(_exposing_rules(policy))
    training = index.is_in([i for i, r in enumerate(policy.rules) if r.verdict == "training"])
    item_start = pl.col("date").fill_null(_lit_dt(_MIN))  # undated (profile) items exist "already"
    optout = _utc(context.opted_out_on) if context.opted_out_on else None
    after_optout = (pl.col("date") >= _lit_dt(optout)).fill_null(False) if optout else pl.lit(False)
    stop = _lit_dt(optout or _MAX)
    region = policy.regions[context.region] if context.region else None
    sure = _windows_exprs(region.enabled, item_start, stop) if region else []
    unsure = _windows_exprs(region.uncertain, item_start, stop) if region else []
    if region is None:  # nothing to compute: keep the rule's verdict, flag it
        certain, window = pl.lit(True), pl.lit(-1, pl.Int8)
        eligible_from = _null_dt()
        eligible_until = _lit_dt(optout) if optout else _null_dt()
    else:
        certain = pl.any_horizontal([o for _, o, _, _ in sure]) if sure else pl.lit(False)
        eligible_from = pl.min_horizontal([pl.when(o).then(lo) for _, o, lo, _ in sure]) if sure else _null_dt()
        eligible_until = pl.max_horizontal([pl.when(o).then(hi) for _, o, _, hi in sure]) if sure else _null_dt()
        window = pl.lit(-1, pl.Int8)
        for j in range(len(unsure) - 1, -1, -1):  # the earliest listed window explains first
            window = pl.when(unsure[j][1]).then(pl.lit(j, pl.Int8)).otherwise(window)
    made_as_minor = pl.lit(False)
    if context.born_in is not None:  # born in year Y: certainly adult only from 1 Jan Y+19
        adult = datetime(context.born_in + 19, 1, 1, tzinfo=timezone.utc)
        made_as_minor = (pl.col("date") < _lit_dt(adult)).fill_null(False)
    columns = dict(
        _exposed=exposed, _training=training, _after=after_optout, _certain=certain, _win=window,
        _asminor=made_as_minor, _efrom=eligible_from, _euntil=eligible_until,
        _mfrom=pl.min_horizontal([pl.when(o).then(lo) for _, o, lo, _ in unsure]) if unsure else _null_dt(),
        _muntil=pl.max_horizontal([pl.when(o).then(hi) for _, o, _, hi in unsure]) if unsure else _null_dt(),
    )
    return columns, unsure


def _apply_overrides(frame: pl.LazyFrame, policy: Policy, context: MemberContext) -> pl.LazyFrame:
    """Each row gets a small state code (which override applies) and flag bits; two small
    tables then supply the reason keys and flags, so no per-row string logic runs."""
    region = policy.regions[context.region] if context.region else None
    columns, unsure = _member_columns(policy, context)
    frame = frame.with_columns(**columns)
    e, maybe = pl.col("_exposed"), pl.col("_win") >= 0
    state = (
        pl.when(pl.lit(context.minor)).then(pl.lit(_MINOR, pl.Int8))
        .when(e & pl.col("_after")).then(pl.lit(_OPTED_OUT, pl.Int8))
        .when(e & ~pl.col("_certain") & ~maybe).then(pl.lit(_NOT_ENABLED, pl.Int8))
        .when(e & ~pl.col("_certain") & maybe).then(pl.lit(_WINDOW, pl.Int8))
        .when(pl.col("_training") & pl.col("_asminor")).then(pl.lit(_AS_MINOR, pl.Int8))
        .otherwise(pl.lit(_RULE, pl.Int8))
    )
    # Flag bits: 1 region unknown, 2 region's dated flag, 4 << j uncertain window j was possible
    # before the certain window; the outcome table adds the bits of rules' own flags.
    live = e & pl.col("_certain") & ~pl.col("_after")
    bits = [pl.when(live).then(pl.lit(1 if region is None else 0, pl.Int32)).otherwise(0)]
    if region is not None and region.dated_flag:
        bits.append(pl.when(live & pl.col("date").is_not_null()).then(pl.lit(2, pl.Int32)).otherwise(0))
    for j, (_, o, lo, _) in enumerate(unsure):
        bits.append(pl.when(live & o & (lo < pl.col("_efrom"))).then(pl.lit(4 << j, pl.Int32)).otherwise(0))
    flag_bits = pl.when(pl.lit(context.minor)).then(pl.lit(0, pl.Int32)).otherwise(pl.sum_horizontal(bits))
    frame = frame.with_columns(_state=state, _flagbits=flag_bits)
    in_window, decided = pl.col("_state") == _WINDOW, pl.col("_state").is_in([_RULE, _AS_MINOR]) & e
    frame = frame.with_columns(
        _win=pl.when(in_window).then(pl.col("_win")).otherwise(pl.lit(-1, pl.Int8)),
        eligible_from=pl.when(in_window).then(pl.col("_mfrom")).when(decided).then(pl.col("_efrom")),
        eligible_until=pl.when(in_window).then(pl.col("_muntil")).when(decided).then(pl.col("_euntil")),
    ).with_columns(
        eligible_from=pl.when(pl.col("eligible_from") != _lit_dt(_MIN)).then(pl.col("eligible_from")),
        eligible_until=pl.when(pl.col("eligible_until") != _lit_dt(_MAX)).then(pl.col("eligible_until")),
    )
    # The outcome and the flags are rows of two small tables, each row's found by position: a
    # join of every row would copy every column of the frame, twice.
    outcome = _outcome_table(policy, region)
    frame = frame.with_columns(_outcome=_outcome_row(region))
    return frame.with_columns(
        *[pl.lit(outcome[name]).gather(pl.col("_outcome")).alias(name)
          for name in ("exposure", "exposure_reason", "rule", "source_url")],
        flags=pl.lit(_flag_table(policy, region)["flags"]).gather(
            pl.col("_flagbits") | pl.lit(outcome["_rule_bits"]).gather(pl.col("_outcome"))
            | pl.when(pl.col("_salary")).then(pl.lit(outcome["_salary_bit"]).gather(pl.col("_outcome"))).otherwise(0)),
    )


def _salary_in_text(items: pl.DataFrame, policy: Policy, rule_index: pl.Series) -> pl.Series:
    """Whether the title or text states a salary figure, searched on the rows whose rule makes
    them training material or uncertain (only those can carry the salary-in-text flag, once the
    overrides leave them so: _outcome_table) and only where there is a digit."""
    text = pl.concat_str([pl.col("title").fill_null(""), pl.col("text").fill_null("")], separator="\n")
    scope = pl.col("_rule_index").is_in(_exposing_rules(policy))
    found = text.str.contains(r"\d") & text.str.contains(_any_regex(policy.salary_in_text))
    searched = items.select("title", "text").hstack([rule_index.alias("_rule_index")])
    return _features(searched, {"_salary": (scope, found)})[0]


# The verdicts under which an item is or may be training material.
_EXPOSING = ("training", "uncertain")


def _exposing_rules(policy: Policy) -> list[int]:
    """The indices of the rules whose verdict is training material or uncertain."""
    return [i for i, r in enumerate(policy.rules) if r.verdict in _EXPOSING]


# Row states of the member-level overrides (their precedence: _apply_overrides), in the order
# of a rule's rows in the outcome table, the uncertain windows last.
_RULE, _MINOR, _OPTED_OUT, _NOT_ENABLED, _AS_MINOR, _WINDOW = 0, 1, 2, 3, 4, 5


def _outcome_row(region: Region | None) -> pl.Expr:
    """Each row's position in `_outcome_table`: rule after rule, each with a row per state,
    `_WINDOW` standing for one row per uncertain window (`_win`, -1 out of a window)."""
    per_rule = _WINDOW + len(region.uncertain if region else ())
    return (pl.col("_rule_index").cast(pl.UInt32) * per_rule + pl.col("_state").cast(pl.UInt32)
            + pl.col("_win").clip(lower_bound=0).cast(pl.UInt32))


def _outcome_table(policy: Policy, region: Region | None) -> pl.DataFrame:
    """(rule index, state, uncertain window), in the order `_outcome_row` counts them ->
    exposure, exposure_reason (a reason key or an exclusion code), rule, source_url, the flag
    bit of the rule's own flag (_flag_table) while no override excludes the item, and the
    salary-in-text flag's bit where the item stays training material or uncertain."""
    ov = policy.overrides
    first_bit = 2 + len(region.uncertain if region else ())  # after region-unknown, dated, windows
    rule_flags = _rule_flags(policy)
    salary_bit = 1 << (first_bit + len(rule_flags))
    rows: list[tuple[int, int, int, str, str, str, str, int]] = []
    for i, rule in enumerate(policy.rules):
        own_reason = rule.code if rule.verdict == "excluded" else f"rule.{rule.id}"
        bit = 1 << (first_bit + rule_flags.index(rule.flag)) if rule.flag else 0
        rows += [
            (i, _RULE, -1, rule.verdict, own_reason, rule.id, rule.source_url, bit),
            (i, _MINOR, -1, "excluded", "minor", "member.minor", ov["minor"].source_url, 0),
            (i, _OPTED_OUT, -1, "excluded", "opted-out", "member.opted-out", ov["opted-out"].source_url, 0),
            (i, _NOT_ENABLED, -1, "excluded", "region-not-enabled", "member.region-not-enabled",
             ov["region-not-enabled"].source_url, 0),
            (i, _AS_MINOR, -1, "uncertain", "override.minor-at-creation", "member.minor-at-creation",
             ov["minor-at-creation"].source_url, bit),
        ]
        for j, w in enumerate(region.uncertain if region else ()):
            rows.append((i, _WINDOW, j, "uncertain", f"window.{region.code}.{j}", "member.region-window",
                         w.source_url or "", bit))
    names = ["_rule_index", "_state", "_win", "exposure", "exposure_reason", "rule", "source_url", "_rule_bits"]
    # Reasons are keys (Policy.words), rendered at the edge (render.py); they, the rule ids and
    # the source URLs repeat on every row: categoricals.
    schema = dict(zip(names, [pl.Int32, pl.Int8, pl.Int8, pl.String, pl.Categorical, pl.Categorical,
                              pl.Categorical, pl.Int32]))
    return pl.DataFrame(rows, schema=schema, orient="row").with_columns(
        _salary_bit=pl.when(pl.col("exposure").is_in(_EXPOSING)).then(salary_bit).otherwise(0)
        .cast(pl.Int32))


def _rule_flags(policy: Policy) -> list[str]:
    """The distinct flags rules carry, in rule order."""
    return list(dict.fromkeys(r.flag for r in policy.rules if r.flag))


def _flag_table(policy: Policy, region: Region | None) -> pl.DataFrame:
    """Every combination of flag bits -> the list of flag names (row `bits` for bits). The
    last bit is the salary-in-text flag's, listed first."""
    names = [policy.overrides["region-unknown"].flag or "region-unknown",
             (region.dated_flag if region else None) or ""]
    names += [w.flag or "" for w in (region.uncertain if region else ())]
    names += _rule_flags(policy)
    names += [policy.overrides["salary-in-text"].flag or ""]
    order = [len(names) - 1, *range(len(names) - 1)]
    rows = []
    for bits in range(1 << len(names)):
        rows.append((bits, [names[k] for k in order if bits & (1 << k) and names[k]]))
    return pl.DataFrame(rows, schema={"_flagbits": pl.Int32, "flags": pl.List(pl.String)}, orient="row")


def summarise(frame: pl.DataFrame) -> dict:
    """Counts by exposure, by excluded reason code and by flag."""
    by_exposure = {v: 0 for v in VERDICTS}
    for verdict, count in frame.group_by("exposure").len().iter_rows():
        by_exposure[verdict] = count
    # The two columns only: filtering the whole frame would copy every excluded item (36 MiB of
    # messages at `--scale 100`).
    excluded = frame.select("exposure", "exposure_reason").filter(pl.col("exposure") == "excluded")
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
    """The rules in force, in order, then the member overrides and region windows; `key` names
    a row's reason for `reason_words` where it is the policy's own sentence."""
    rows: list[dict] = []
    for rule in policy.rules:
        rows.append({
            "section": "rule", "id": rule.id, "key": f"rule.{rule.id}", "match": _describe_match(rule.match),
            "verdict": rule.verdict, "code": rule.code, "reason": rule.reason,
            "confidence": rule.confidence, "source": rule.source, "source_url": rule.source_url,
            "flag": rule.flag, "seen_in": dict(rule.seen_in),
        })
    verdict_of = {"minor": ("excluded", "minor"), "opted-out": ("excluded", "opted-out"),
                  "region-not-enabled": ("excluded", "region-not-enabled"),
                  "minor-at-creation": ("uncertain", None)}
    for name, override in policy.overrides.items():
        verdict, code = verdict_of.get(name, ("flag", override.flag))
        rows.append({
            "section": "override", "id": f"member.{name}", "key": f"override.{name}", "match": name, "verdict": verdict,
            "code": code, "reason": override.reason, "confidence": None, "source": override.source,
            "source_url": override.source_url,
        })
    for region in policy.regions.values():
        def span(w: Window) -> str:
            return f"{w.start or '…'} to {w.end or 'open'}"
        enabled = "; ".join(span(w) for w in region.enabled) or "never"
        rows.append({
            "section": "region", "id": f"region.{region.code}", "match": region.name,
            "verdict": "training", "code": None, "reason": f"enabled {enabled}",
            "confidence": None, "source": region.source, "source_url": region.source_url,
        })
        if region.dated_flag:
            rows.append({
                "section": "region", "id": f"region.{region.code}", "key": f"dated-flag.{region.code}",
                "match": region.name, "verdict": "flag", "code": region.dated_flag, "reason": region.dated_flag_reason or "",
                "confidence": None, "source": region.dated_flag_source,
                "source_url": policy.sources.get(region.dated_flag_source or "", region.source_url),
            })
        for w in region.uncertain:
            rows.append({
                "section": "region", "id": f"region.{region.code}", "match": region.name,
                "verdict": "uncertain", "code": None, "reason": f"{span(w)}: {w.reason}",
                "confidence": None, "source": w.source, "source_url": w.source_url,
            })
    return rows
