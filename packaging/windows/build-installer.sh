#!/usr/bin/env bash
# Packs the Windows executables (logweave.exe, logweavew.exe,
# logweave-pe.exe in EXEDIR) into target/dist/, stripped of their debug
# information, which is kept beside them in target/dist/symbols/ (for
# reading a crash's addresses later):
#   logweave-VERSION-windows-x86_64.zip  the portable zip (the exes, README,
#                                        licences)
#   logweave-VERSION-setup.exe           the per-user installer (installer.nsi)
# Needs makensis (Debian: nsis), zip and mingw-w64's binutils.
# Usage: packaging/windows/build-installer.sh EXEDIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
exedir="$(cd "${1:?usage: build-installer.sh EXEDIR}" && pwd)"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$repo/Cargo.toml" | head -1)"
dist="$repo/target/dist"
mkdir -p "$dist"
for exe in logweave.exe logweavew.exe logweave-pe.exe; do
  [ -f "$exedir/$exe" ] || { echo "build-installer: $exedir/$exe missing" >&2; exit 1; }
done
docs="$(mktemp -d)"
trap 'rm -rf "$docs"' EXIT
# Stripped copies to ship; the debug information kept apart.
bin="$docs/bin"
mkdir -p "$bin" "$dist/symbols"
for exe in logweave.exe logweavew.exe logweave-pe.exe; do
  x86_64-w64-mingw32-objcopy --only-keep-debug "$exedir/$exe" "$dist/symbols/$exe.debug"
  x86_64-w64-mingw32-strip -o "$bin/$exe" "$exedir/$exe"
done
exedir="$bin"
cp "$repo/README.md" "$repo/LICENSE-MIT" "$repo/LICENSE-APACHE" \
  "$repo/packaging/THIRD-PARTY-LICENCES.md" "$docs/"

zip_name="logweave-$version-windows-x86_64.zip"
rm -f "$dist/$zip_name"
stage="$docs/logweave-$version"
mkdir -p "$stage"
cp "$exedir/logweave.exe" "$exedir/logweavew.exe" "$exedir/logweave-pe.exe" "$docs"/*.md \
  "$docs/LICENSE-MIT" "$docs/LICENSE-APACHE" "$stage/"
(cd "$docs" && zip -q -r -X "$dist/$zip_name" "logweave-$version")
echo "$dist/$zip_name"

setup="$dist/logweave-$version-setup.exe"
(cd "$here" && makensis -V2 -DVERSION="$version" -DEXEDIR="$exedir" -DDOCDIR="$docs" \
  -DOUTFILE="$setup" installer.nsi)
echo "$setup"
