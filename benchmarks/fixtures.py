"""The archives the whole-command benchmark runs on, written by our own synthetic generator
(invented people only):

    python benchmarks/fixtures.py DIR SCALE... [--no-extra]

- scale-N.zip: the Complete sample at `inventory sample --scale N` (1 is the bundled sample);
- messages-600k.zip: the scale-1 Complete sample whose messages.csv has 600,000 rows (an export
  dominated by one large member);
- tiny-members.zip: the scale-1 Complete sample plus tiny articles up to 9,990 members (just
  under max_entries).

--no-extra writes only the scaled samples.
"""

from __future__ import annotations

import json
import random
import sys
import zipfile
from pathlib import Path

from inventory.samples import COMPLETE_NAME, _messages, build_export, write_samples, write_zip

TINY_MEMBERS = 9_990
LARGE_MESSAGES_SCALE = 600  # messages.csv holds 1,000 rows per unit of scale


def csv_bytes(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return sum(i.file_size for i in archive.infolist() if i.filename.endswith(".csv"))


def describe(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    return {"path": str(path), "zip_bytes": path.stat().st_size, "members": len(infos),
            "uncompressed_bytes": sum(i.file_size for i in infos), "csv_bytes": csv_bytes(path)}


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    extra = "--no-extra" not in sys.argv
    made = {}
    for scale in (int(s) for s in sys.argv[2:] if s != "--no-extra"):
        folder = out / f"samples-{scale}"
        write_samples(folder, scale=scale, deflate64=False)  # what `inventory sample --scale N` writes
        target = out / f"scale-{scale}.zip"
        (folder / COMPLETE_NAME).replace(target)
        made[f"scale {scale}"] = describe(target)
    if not extra:
        print(json.dumps(made))
        return
    base = build_export("complete")
    # Only messages.csv at that scale, with the random stream build_export gives it.
    large = _messages("2026", LARGE_MESSAGES_SCALE, random.Random("0:messages")).render()
    messages = dict(base, **{"messages.csv": large})
    write_zip(messages, out / "messages-600k.zip")
    made["messages.csv 600k rows"] = describe(out / "messages-600k.zip")
    tiny = dict(base)
    for i in range(TINY_MEMBERS - len(base)):
        tiny[f"Articles/Articles/note-{i:05d}.html"] = (
            f"<html><head><title>Note {i}</title></head><body><p>Note {i}.</p></body></html>").encode()
    write_zip(tiny, out / "tiny-members.zip")
    made["9,990 tiny members"] = describe(out / "tiny-members.zip")
    print(json.dumps(made))


if __name__ == "__main__":
    main()
