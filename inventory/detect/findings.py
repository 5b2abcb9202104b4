"""The finding value, its fixed type vocabulary, overlap resolution and redaction."""

from __future__ import annotations

from dataclasses import dataclass, field

# Documented fixed vocabulary (docs/detectors.md). Order = priority when two findings overlap:
# the earlier type keeps the span (an IBAN's digits are not also a phone number).
FINDING_TYPES: tuple[str, ...] = (
    "email", "phone", "address", "birth-date", "iban", "national-id", "private-url", "person",
    "salary", "money", "confidential", "special-category", "watch-list",
)
_PRIORITY: tuple[str, ...] = (
    "iban", "national-id", "email", "private-url", "phone", "birth-date", "address", "salary",
    "money", "watch-list", "person", "confidential", "special-category",
)
_RANK = {t: i for i, t in enumerate(_PRIORITY)}


@dataclass(frozen=True, order=True)
class Finding:
    """One finding. Its explanation is data, `detect.finding.<key>` in the catalogues with
    `values`: it holds no words, which are made at the edge (words.render_finding)."""

    start: int  # character offsets in the item's `text`, end exclusive
    end: int
    type: str
    text: str  # the matched span, as written
    key: str = field(default="", compare=False)  # why it fired: category, validation, cue, term...
    values: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    label: str | None = field(default=None, compare=False)  # replacement text; None = by type

    @classmethod
    def explained(cls, start: int, end: int, type: str, text: str, key: str, *,
                  label: str | None = None, **values: str) -> "Finding":
        return cls(start, end, type, text, key, tuple((k, str(v)) for k, v in values.items()), label)


def resolve_overlaps(findings: list[Finding]) -> list[Finding]:
    """Drop findings whose span overlaps a higher-priority one (same type: keep the longer)."""
    ranked = sorted(findings, key=lambda f: (_RANK[f.type], -(f.end - f.start), f.start))
    kept: list[Finding] = []
    for f in ranked:
        if any(f.start < k.end and k.start < f.end for k in kept):
            continue
        kept.append(f)
    return sorted(kept)


def redact(text: str, findings: list[Finding], labels: dict[str, str]) -> str:
    """Replace each (non-overlapping) finding span by its label, e.g. `[phone]`."""
    out: list[str] = []
    pos = 0
    for f in sorted(findings):
        if f.start < pos:
            continue
        out.append(text[pos:f.start])
        out.append(f.label or labels.get(f.type, f"[{f.type}]"))
        pos = f.end
    out.append(text[pos:])
    return "".join(out)
