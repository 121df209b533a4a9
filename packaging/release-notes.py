#!/usr/bin/env python3
"""Writes a version's release notes from CHANGELOG.md (on stdin): the
section headed with the version (`## 0.2.0`, `## [0.2.0] - 2027-01-10`), or,
before the release is cut, the Unreleased section, under a title with the
version and date. Usage: release-notes.py VERSION DATE < CHANGELOG.md"""
import re
import sys


def section(lines, wanted):
    """The lines under the first `## ` heading that `wanted` accepts."""
    body, found = [], False
    for line in lines:
        if line.startswith("## "):
            if found:
                break
            found = wanted(line[3:].strip())
            continue
        if found:
            body.append(line)
    return body if found else None


def main():
    version, date = sys.argv[1], sys.argv[2]
    lines = sys.stdin.read().splitlines()
    exact = re.compile(r"^\[?v?" + re.escape(version) + r"\]?(\s|$)")
    body = section(lines, lambda h: bool(exact.match(h)))
    if body is None:
        body = section(lines, lambda h: h.lower() == "unreleased")
    if body is None or not any(line.strip() for line in body):
        sys.exit(f"release-notes: CHANGELOG.md has no notes for {version} (no section for it, and Unreleased is missing or empty)")
    while body and not body[-1].strip():
        body.pop()
    while body and not body[0].strip():
        body.pop(0)
    # The CHANGELOG's `###` subsections become the notes' `##` sections.
    body = [line[1:] if line.startswith("###") else line for line in body]
    print(f"# LogWeave {version} ({date})\n")
    print("\n".join(body))


if __name__ == "__main__":
    main()
