#!/usr/bin/env python3
"""Validate resources/errors/curated.tsv (stdlib only).

Checks: header line, six tab-separated columns per row, value format (0x + 8 upper-case hex
digits), kind in the allowed set, non-empty meaning and source, known context tags, no
duplicate (value, kind), one-line fields, UTF-8 with LF line endings, and at least MIN_ROWS rows.
Prints the number of rows per kind. Exits 1 on any problem.

Usage: python3 curated-check.py [path/to/curated.tsv]
"""
import collections
import os
import re
import sys

MIN_ROWS = 300
HEADER = ["value", "kind", "name", "meaning", "source", "contexts"]
KINDS = {
    "win32", "hresult", "ntstatus", "configmgr", "wua", "bits", "winhttp", "msi",
    "cbs", "do", "setup", "mdm", "intune", "wmi", "exit",
}
CONTEXTS = {
    "ts", "osd", "app", "wu", "msi", "intune", "dism", "network", "content",
    "client", "mdm", "autopilot", "setup",
}
VALUE_RE = re.compile(r"^0x[0-9A-F]{8}$")
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# Test vectors from shared/error-codes.md section 7 that must resolve through this table
# (directly, or for 0x8007xxxx through the Win32 row of the low 16 bits).
VECTORS = [
    "0x80070002", "0x80070003", "0x80070005", "0x80004005", "0x80004004", "0x80070057",
    "0x8007000E", "0x80070070", "0x80070032", "0x8007010B", "0x8007052E", "0x80070035",
    "0x800704CF", "0x80072EE2", "0x80072EE7", "0x80072EFD", "0x80072F8F", "0x80091007",
    "0x800B0109", "0x00000643", "0x00000652", "0x00000BC2", "0x00000669", "0x800705B4",
    "0x80070490", "0x800F081F", "0x8024402C", "0x80244022", "0xC0000005", "0x87D00324",
    "0x87D00213", "0x87D00607", "0x87D01106", "0x80180014", "0x800F0922", "0x80240022",
    "0x80190194", "0xC0000142", "0x80041010",
]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "curated.tsv")
    errors = []
    raw = open(path, "rb").read()
    if b"\r" in raw:
        errors.append("file contains CR characters; use LF line endings")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print(f"{path}: not valid UTF-8: {e}")
        return 1
    if text.startswith("\ufeff"):
        errors.append("file starts with a BOM")

    header_seen = False
    seen = {}
    values = set()
    per_kind = collections.Counter()
    rows = 0
    for lineno, line in enumerate(text.split("\n"), 1):
        if line == "" or line.startswith("#"):
            continue
        cols = line.split("\t")
        if not header_seen:
            if cols != HEADER:
                errors.append(f"line {lineno}: expected header {HEADER}, got {cols}")
            header_seen = True
            continue
        if len(cols) != 6:
            errors.append(f"line {lineno}: expected 6 columns, got {len(cols)}")
            continue
        value, kind, name, meaning, source, contexts = cols
        where = f"line {lineno} ({value} {kind})"
        if not VALUE_RE.match(value):
            errors.append(f"{where}: value must be 0x + 8 upper-case hex digits")
        if kind not in KINDS:
            errors.append(f"{where}: unknown kind {kind!r}")
        if name and not NAME_RE.match(name):
            errors.append(f"{where}: name {name!r} is not a symbol")
        if not meaning.strip():
            errors.append(f"{where}: empty meaning")
        if not source.strip():
            errors.append(f"{where}: empty source")
        for field, label in ((meaning, "meaning"), (source, "source"), (name, "name")):
            if field != field.strip():
                errors.append(f"{where}: {label} has leading/trailing spaces")
        tags = [t for t in contexts.split(",") if t] if contexts else []
        for t in tags:
            if t not in CONTEXTS:
                errors.append(f"{where}: unknown context tag {t!r}")
        if len(tags) != len(set(tags)):
            errors.append(f"{where}: repeated context tag")
        key = (value, kind)
        if key in seen:
            errors.append(f"{where}: duplicate of line {seen[key]}")
        else:
            seen[key] = lineno
        values.add(value)
        per_kind[kind] += 1
        rows += 1

    if not header_seen:
        errors.append("no header line found")
    if rows < MIN_ROWS:
        errors.append(f"only {rows} rows; at least {MIN_ROWS} expected")

    for v in VECTORS:
        n = int(v, 16)
        alt = f"0x{n & 0xFFFF:08X}" if (n >> 16) == 0x8007 else None
        if v not in values and (alt is None or alt not in values):
            errors.append(f"test vector {v} has no row")

    for kind in sorted(per_kind, key=lambda k: (-per_kind[k], k)):
        print(f"{kind:10} {per_kind[kind]:5}")
    print(f"{'total':10} {rows:5}")
    if errors:
        for e in errors:
            print("ERROR:", e)
        print(f"{len(errors)} problem(s) in {path}")
        return 1
    print(f"OK: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
