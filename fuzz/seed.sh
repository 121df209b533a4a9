#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seeds: the committed hand-written ones
# (fuzz/seeds/<target>/), the fixtures under tests/data and the real logs
# in ../shared/real-logs (read from there at run time, never copied into
# the repository: fuzz/corpus/ is ignored by git), cut into pieces of at
# most 64 KiB and given the parameter bytes each target reads first.
# Usage: fuzz/seed.sh [TARGET...]   (default: every target)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
real="$repo/../shared/real-logs"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(detect_and_split record_fields time_syntax encoding error_codes
    outline_and_triage archive_entries scan_vs_index pasted_text
    mmap_vs_read_vs_memory settings_loader serve_request remote_response)
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Every log we may read: fixtures and real logs (no READMEs, scripts or tables).
logs=()
while IFS= read -r -d '' f; do logs+=("$f"); done < <(
  find "$repo/tests/data" ${real:+"$real"} -type f \
    ! -name '*.md' ! -name '*.py' ! -name '*.tsv' ! -name '*.png' -print0 2>/dev/null | sort -z)

# Pieces of at most 64 KiB, named after their source.
mkdir -p "$work/pieces"
n=0
for f in "${logs[@]}"; do
  n=$((n + 1))
  split -b 65536 -d -a 3 "$f" "$work/pieces/$n-$(basename "$f")."
done

# put TARGET PREFIX_PRINTF_FORMAT FILE: one seed, the prefix then the file.
put() {
  local dir="$here/corpus/$1"
  mkdir -p "$dir"
  local name
  name="seed-$(basename "$3")"
  { printf "$2"; cat "$3"; } >"$dir/$name"
}

for t in "${targets[@]}"; do
  mkdir -p "$here/corpus/$t"
  if [ -d "$here/seeds/$t" ]; then
    cp -f "$here/seeds/$t"/* "$here/corpus/$t/" 2>/dev/null || true
  fi
  case "$t" in
    detect_and_split) for p in "$work"/pieces/*; do put "$t" '\x01\x10\x00\x10\x00\x40' "$p"; done ;;
    encoding) for p in "$work"/pieces/*; do head -c 4096 "$p" >"$p.head"; put "$t" '\x03\x00\x10\x00\x00\x02\x00' "$p.head"; rm "$p.head"; done ;;
    scan_vs_index) for p in "$work"/pieces/*; do put "$t" '\x07\x02\x40\x00\x05\x02\x00\x07\x80error' "$p"; done ;;
    mmap_vs_read_vs_memory) for p in "$work"/pieces/*; do put "$t" '\x01' "$p"; done ;;
    pasted_text) for p in "$work"/pieces/*; do put "$t" '\x00\x00\x00\x00\x01\x07' "$p"; done ;;
    record_fields)
      # The first records of each log, one seed per format choice.
      for p in "$work"/pieces/*.000; do
        head -c 2048 "$p" >"$p.head"
        for fmt in 0 1 2 3; do put "$t" "\\x00\\x00\\x00\\x00\\x0$fmt\\x00\\x00" "$p.head"; mv "$here/corpus/$t/seed-$(basename "$p").head" "$here/corpus/$t/seed-$fmt-$(basename "$p")"; done
        rm "$p.head"
      done ;;
    archive_entries)
      # Zips and cabs of a few logs, made now (gcab only when installed).
      mkdir -p "$work/arc/SMSTSLog"
      for p in "$work"/pieces/*.000; do head -c 8192 "$p" >"$work/arc/SMSTSLog/$(basename "$p" .000)"; done
      (cd "$work/arc" && ls SMSTSLog | head -3 | sed 's|^|SMSTSLog/|' | zip -q -@ "$work/small.zip")
      (cd "$work/arc" && zip -q -0 "$work/stored.zip" "SMSTSLog/$(ls SMSTSLog | head -1)")
      (cd "$work" && cp small.zip arc/inner.zip && cd arc && zip -q "$work/nested.zip" inner.zip "SMSTSLog/$(ls SMSTSLog | tail -1)")
      for z in small stored nested; do put "$t" '\x00\x00\x00\x00\x00' "$work/$z.zip"; done
      if command -v gcab >/dev/null; then
        (cd "$work/arc" && gcab -c "$work/plain.cab" "SMSTSLog/$(ls SMSTSLog | head -1)" && gcab -cz "$work/zipped.cab" "SMSTSLog/$(ls SMSTSLog | tail -1)")
        for c in plain zipped; do put "$t" '\x00\x00\x00\x00\x01' "$work/$c.cab"; done
      fi ;;
    *) ;; # Structured input only: the hand-written seeds.
  esac
  echo "seeded $t: $(ls "$here/corpus/$t" | wc -l) inputs"
done
