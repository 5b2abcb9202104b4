"""Shared builders for the view and TUI tests: an analysed frame built by hand (invented data,
every column of the pipeline's contract), hostile cells, and a large synthetic frame for timing.
No tests here; imported by tests/unit/test_views.py, tests/functional/test_tui*.py and tests/snapshots/."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import polars as pl

from inventory.detect.words import term
from inventory.items import ITEM_SCHEMA

HOSTILE = (
    "[@click=app.quit]x[/] [link=https://evil.example]y[/link] "
    "\x1b[2J \x1b]52;c;ZXZpbA==\x1b\\ \x1b]0;title\x07 \u202eevil\u202c \u200b end"
)

# A finding as the frame holds it (no words); its explanation is its term in finding_terms.
FINDING = pl.Struct({"type": pl.String, "start": pl.Int64, "end": pl.Int64, "text": pl.String})

ANALYSED_SCHEMA: dict[str, pl.DataType] = {
    **ITEM_SCHEMA,
    "exposure": pl.String(), "exposure_reason": pl.String(), "rule": pl.String(),
    "source_url": pl.String(), "eligible_from": pl.Datetime("us", "UTC"),
    "eligible_until": pl.Datetime("us", "UTC"), "flags": pl.List(pl.String),
    "findings": pl.List(FINDING), "finding_terms": pl.List(pl.String()), "risk": pl.Int64(), "risk_reasons": pl.List(pl.String),
    "suggestion": pl.String(), "suggested_text": pl.String(), "action_url": pl.String(),
    "cluster": pl.String(),
}

_SOURCES = {
    "post": "Shares.csv", "comment": "Comments.csv", "message": "messages.csv",
    "profile-field": "Profile.csv", "position": "Positions.csv", "job-application": "Jobs/Job Applications.csv",
    "reaction": "Reactions.csv",
}
_EXPOSURE = {
    "post": ("training", "public-post"), "comment": ("training", "public-comment"),
    "message": ("excluded", "private-message"), "profile-field": ("training", "profile"),
    "position": ("training", "profile"), "job-application": ("excluded", "job-application"),
    "reaction": ("other", "activity"),
}


def _row(i: int, kind: str, text: str, *, when: datetime, findings=(), risk=0,
         suggestion="keep", cluster=None, url=None, title=None, exposure=None) -> dict:
    exposure_value, reason = exposure or _EXPOSURE[kind]
    found = [{name: f[name] for name in FINDING.to_schema()} for f in findings]
    return {
        "id": f"{kind}:{i:016x}", "source": _SOURCES[kind], "line": i + 2, "kind": kind,
        "file_kind": kind, "field": "Summary" if kind == "profile-field" else None,
        "date": when, "title": title, "text": text,
        "url": url if url is not None else (f"https://www.linkedin.com/feed/update/urn:li:share:{7000 + i}"
                                           if kind == "post" else None),
        "visibility": "MEMBER_NETWORK" if kind == "post" else None, "parent": None, "row": i,
        "exposure": exposure_value, "exposure_reason": reason, "rule": f"rule-{kind}",
        "source_url": "https://www.linkedin.com/legal/privacy-policy",
        "eligible_from": datetime(2025, 11, 3, tzinfo=timezone.utc), "eligible_until": None,
        "flags": [], "findings": found, "finding_terms": [f["term"] for f in findings], "risk": risk,
        "risk_reasons": [f["type"] for f in found], "suggestion": suggestion,
        "suggested_text": None if not found else text[: found[0]["start"]] + "[redacted]" + text[found[0]["end"]:],
        "action_url": "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement",
        "cluster": cluster,
    }


def _finding(text: str, needle: str, kind: str, key: str, **values: str) -> dict:
    """A finding and its term (`term`): the catalogue key and values that explain it."""
    start = text.index(needle)
    return {"type": kind, "start": start, "end": start + len(needle), "text": needle, "term": term(key, values)}


def sample_rows() -> list[dict]:
    base = datetime(2023, 1, 15, 9, 0, tzinfo=timezone.utc)
    rows = []
    t1 = "Ravie de rejoindre Élan Conseil ! Écrivez-moi à camille.martin@example.org"
    rows.append(_row(0, "post", t1, when=base, risk=70, suggestion="edit",
                     findings=[_finding(t1, "camille.martin@example.org", "email", "email")]))
    t2 = "Great conference in Lyon, thanks to the whole team."
    rows.append(_row(1, "post", t2, when=base + timedelta(days=40), cluster="c1"))
    rows.append(_row(2, "post", t2 + " !", when=base + timedelta(days=41), cluster="c1", suggestion="delete", risk=20))
    t3 = "Call me on 06 12 34 56 78 about the salary: 52k EUR"
    rows.append(_row(3, "comment", t3, when=base + timedelta(days=90), risk=85, suggestion="delete",
                     findings=[_finding(t3, "06 12 34 56 78", "phone", "phone", where="FR"),
                               _finding(t3, "52k EUR", "salary", "salary")]))
    rows.append(_row(4, "comment", "Bravo pour ce projet, très inspirant", when=base + timedelta(days=200)))
    rows.append(_row(5, "message", "Hello, are you free on Tuesday?", when=base + timedelta(days=10)))
    rows.append(_row(6, "profile-field", "Data engineer based in Nantes.", when=None, title="Summary"))
    rows.append(_row(7, "position", "Data engineer at Élan Conseil", when=base - timedelta(days=400), title="Data engineer"))
    rows.append(_row(8, "job-application", "Application to Acme Robotics", when=base + timedelta(days=300),
                     title="Acme Robotics"))
    rows.append(_row(9, "reaction", "LIKE", when=base + timedelta(days=20)))
    rows.append(_row(10, "post", "Maybe public, maybe not", when=base + timedelta(days=500),
                     exposure=("uncertain", "visibility-unknown"), suggestion="review", risk=10))
    rows.append(_row(11, "post", HOSTILE, when=base + timedelta(days=60), risk=95, suggestion="delete",
                     title="[b]bold[/b] \x1b[31mred", url="https://evil.example/\x1b]8;;x"))
    return rows


def frame_from_rows(rows: list[dict]) -> pl.DataFrame:
    cols = {name: [r.get(name) for r in rows] for name in ANALYSED_SCHEMA}
    return pl.DataFrame(cols, schema=ANALYSED_SCHEMA)


def sample_frame() -> pl.DataFrame:
    return frame_from_rows(sample_rows())


_WORDS = ("projet équipe données client réunion salaire Lyon Paris télétravail recrutement "
          "conférence merci bravo nouveau poste stage python cloud sécurité formation").split()


def big_frame(n: int = 300_000, seed: int = 7) -> pl.DataFrame:
    """A synthetic analysed frame of n rows, built with vectorised expressions (< 1 s)."""
    rng = random.Random(seed)
    texts = pl.Series([" ".join(rng.choice(_WORDS) for _ in range(rng.randint(5, 25))) for _ in range(5_000)])
    kinds = pl.Series(["post", "comment", "message", "reaction", "profile-field", "position"])
    exposures = pl.Series(["training", "training", "excluded", "other", "training", "uncertain"])
    suggestions = pl.Series(["delete", "edit", "keep", "review", "restrict"])
    idx = pl.int_range(0, n, eager=True, dtype=pl.Int64)
    base = datetime(2016, 1, 1, tzinfo=timezone.utc)
    email = pl.Series([[{"type": "email", "start": 0, "end": 3, "text": "x"}]], dtype=pl.List(FINDING))
    frame = pl.DataFrame({"i": idx}).with_columns(
        ("post:" + pl.col("i").cast(pl.String).str.zfill(16)).alias("id"),
        pl.lit("Shares.csv").alias("source"),
        (pl.col("i") + 2).alias("line"),
    )
    frame = frame.with_columns(
        kinds.gather(idx % 6).alias("kind"),
        pl.lit("shares").alias("file_kind"),
        pl.lit(None, dtype=pl.String).alias("field"),
        (pl.lit(base) + pl.duration(hours=(pl.col("i") * 7919) % 80_000)).dt.cast_time_unit("us").alias("date"),
        pl.lit(None, dtype=pl.String).alias("title"),
        texts.gather((idx * 31) % texts.len()).alias("text"),
        pl.lit(None, dtype=pl.String).alias("url"),
        exposures.gather((idx // 6 + idx) % 6).alias("exposure"),
        pl.lit("x").alias("exposure_reason"),
        ((pl.col("i") * 37) % 101).alias("risk"),
        suggestions.gather(idx % 5).alias("suggestion"),
        pl.lit(None, dtype=pl.String).alias("cluster"),
        pl.when(pl.col("i") % 9 == 0).then(pl.lit(email.first(), dtype=pl.List(FINDING)))
        .otherwise(pl.lit([], dtype=pl.List(FINDING))).alias("findings"),
        pl.when(pl.col("i") % 9 == 0).then(pl.lit([term("email", {})], dtype=pl.List(pl.String)))
        .otherwise(pl.lit([], dtype=pl.List(pl.String))).alias("finding_terms"),
    )
    return frame.drop("i")


# --- app helpers ---------------------------------------------------------------------------------
from dataclasses import replace  # noqa: E402
from functools import lru_cache  # noqa: E402


@lru_cache(maxsize=1)
def sample_analysis():
    """The real pipeline on the bundled sample (built once per test session, ~1 s)."""
    from inventory import pipeline

    return pipeline.analyse_sample()


def analysis_with(frame: pl.DataFrame):
    """A real Analysis (sample scan, policy, context) carrying a hand-built frame."""
    return replace(sample_analysis(), frame=frame)


def loader_for(analysis):
    def load(paths, options, progress, cancelled):
        progress("Shares.csv", 1, 2)
        progress("Comments.csv", 2, 2)
        return analysis

    return load


def screen_text(app) -> str:
    """What the terminal shows right now, as plain text (one line per row)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def screen_ansi(app) -> str:
    """The bytes the app would send to draw the whole screen (its own escapes included)."""
    return app.screen._compositor.render_full_update().render_segments(app.console)


# --- driving the app in tests (tests/functional) ---------------------------------------------

from pathlib import Path  # noqa: E402

from inventory.tui.app import InventoryApp  # noqa: E402
from inventory.tui.screens.main import ItemsScreen  # noqa: E402


def make_app(tmp_path: Path, analysis=None, lang: str = "en", **options) -> InventoryApp:
    options.setdefault("state_path", tmp_path / "state" / "state.json")
    return InventoryApp([], lang=lang, options=options, loader=loader_for(analysis or sample_analysis()))


def said(app: InventoryApp) -> list[str]:
    """Every notification `app` (given to record_notifications) has shown, those gone too: a
    toast expires after its timeout, which a loaded machine can pass between a key and a check."""
    return app._said  # type: ignore[attr-defined]


def record_notifications(app: InventoryApp) -> InventoryApp:
    """`app`, keeping every notification it shows (read with `said`)."""
    app._said = []  # type: ignore[attr-defined]
    show = app.notify

    def notify(message, **kwargs):
        app._said.append(str(message))  # type: ignore[attr-defined]
        return show(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return app


async def ready(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def items_screen(app) -> ItemsScreen:
    assert isinstance(app.screen, ItemsScreen)
    return app.screen
