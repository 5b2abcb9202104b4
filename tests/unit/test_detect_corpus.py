"""Precision and recall per detector on the labelled synthetic corpus (tests/corpus/).

The metrics are printed in the run's summary and asserted against the targets of
issue 4: precision >= 0.9 and recall >= 0.8 for every finding type.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from inventory.detect import FINDING_TYPES, WatchList, WatchTerm, detect_text

CORPUS = Path(__file__).parents[1] / "corpus" / "detectors.json"
PRECISION_TARGET = 0.9
RECALL_TARGET = 0.8


def _same(found_type: str, found_text: str, exp: dict) -> bool:
    # A span counts if one contains the other ("à usage interne" for "usage interne").
    a, b = found_text.casefold(), exp["text"].casefold()
    return found_type == exp["type"] and (a in b or b in a)


@pytest.fixture(scope="module")
def corpus_results():
    data = json.loads(CORPUS.read_text(encoding="utf-8"))
    watch = WatchList(tuple(WatchTerm(t["name"], tuple(t["aliases"]), t["threshold"], t["label"])
                            for t in data["watchlist"]))
    people = [tuple(p) for p in data["people"]]
    results = []
    for case in data["cases"]:
        found = detect_text(case["text"], watch, lang_hint=case["lang"], people=people,
                            member=tuple(data["member"]))
        results.append((case, found))
    return results


def test_corpus_is_honest(corpus_results):
    cases = [c for c, _ in corpus_results]
    langs = Counter(c["lang"] for c in cases)
    assert langs["en"] >= 40 and langs["fr"] >= 40
    negatives = [c for c in cases if not c["expected"]]
    assert len(negatives) >= 40  # hard negatives for every detector
    texts = " ".join(c["text"] for c in negatives)
    for hard in ("European Union", "Union européenne", "union de fait", "rose garden", "package npm",
                 "launched on 12 March 2024", "1,250,000"):
        assert hard in texts


def test_precision_and_recall_per_detector(corpus_results, terminal_report):
    def say(line: str) -> None:
        print(line)
        terminal_report.extend(line.strip("\n").split("\n"))

    tp_found: Counter = Counter()
    n_found: Counter = Counter()
    tp_expected: Counter = Counter()
    n_expected: Counter = Counter()
    misses, false_alarms = [], []
    for case, found in corpus_results:
        for f in found:
            n_found[f.type] += 1
            if any(_same(f.type, f.text, e) for e in case["expected"]):
                tp_found[f.type] += 1
            else:
                false_alarms.append((f.type, f.text, case["text"]))
        for e in case["expected"]:
            n_expected[e["type"]] += 1
            if any(_same(f.type, f.text, e) for f in found):
                tp_expected[e["type"]] += 1
            else:
                misses.append((e["type"], e["text"], case["text"]))
    say("detector corpus metrics (tests/corpus/detectors.json)")
    say(f"{'type':18} {'found':>5} {'expect':>6} {'precision':>9} {'recall':>6}")
    failures = []
    for ftype in FINDING_TYPES:
        precision = tp_found[ftype] / n_found[ftype] if n_found[ftype] else 1.0
        recall = tp_expected[ftype] / n_expected[ftype] if n_expected[ftype] else 1.0
        say(f"{ftype:18} {n_found[ftype]:5} {n_expected[ftype]:6} {precision:9.2f} {recall:6.2f}")
        assert n_expected[ftype] >= 3, f"corpus has too few {ftype} examples"
        if precision < PRECISION_TARGET or recall < RECALL_TARGET:
            failures.append(ftype)
    for kind, items in (("missed", misses), ("false alarm", false_alarms)):
        for ftype, text, sentence in items:
            say(f"  {kind}: {ftype} {text!r} in {sentence!r}")
    assert not failures, f"below target: {failures}"
