#!/usr/bin/env bash
# Builds every release artifact into target/dist/ (the command CI runs):
#   logweave_VERSION_amd64.deb              Debian/Ubuntu package (cargo-deb)
#   logweave-VERSION-windows-x86_64.zip     portable zip (logweave.exe,
#                                           logweavew.exe, logweave-pe.exe)
#   logweave-VERSION-setup.exe              per-user Windows installer (NSIS)
#   logweave-VERSION-release-notes.md       CHANGELOG's section for VERSION
#                                           (or Unreleased, before a release)
#   winget/, scoop/                         package-manager manifests filled
#                                           from the built artifacts
#   SHA256SUMS                              of the files above
#   symbols/                                debug information of the
#                                           stripped executables
# The executables are built with the release profile (fat LTO, one codegen
# unit, see Cargo.toml), stripped, with their symbols kept in symbols/.
# Web addresses come from packaging/project.env (or the environment).
# Installs what it needs (cargo-deb, mingw-w64, nsis, validators) when run
# as root or with sudo.
# Usage: packaging/release.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
target=x86_64-pc-windows-gnu
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
dist="$repo/target/dist"

need=()
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
command -v makensis >/dev/null || need+=(nsis)
command -v zip >/dev/null || need+=(zip)
command -v desktop-file-validate >/dev/null || need+=(desktop-file-utils)
command -v appstreamcli >/dev/null || need+=(appstream)
command -v dpkg-shlibdeps >/dev/null || need+=(dpkg-dev)
command -v objcopy >/dev/null || need+=(binutils)
python3 -c 'import yaml' 2>/dev/null || need+=(python3-yaml)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${need[@]}" >/dev/null
fi
rustup target list --installed | grep -qx "$target" || rustup target add "$target"
cargo deb --version >/dev/null 2>&1 || cargo install cargo-deb --version 3.8.0 --locked --quiet

# Addresses: packaging/project.env, overridden by the environment.
while IFS='=' read -r name value; do
  case "$name" in LOGWEAVE_*) [ -n "${!name:-}" ] || export "$name=$value" ;; esac
done < <(grep -E '^LOGWEAVE_[A-Z_]+=' packaging/project.env)
subst() { sed "s|@VERSION@|$version|g" <<<"$1"; }
homepage="$(subst "$LOGWEAVE_HOMEPAGE")"
downloads="$(subst "$LOGWEAVE_DOWNLOADS")"
case "$homepage$downloads$LOGWEAVE_SCREENSHOTS" in
  *.example/*) echo "release: the web addresses are packaging/project.env's placeholders (*.example): fine for testing, replace them before publishing" >&2 ;;
esac
# The release date: the commit's (reproducible), or SOURCE_DATE_EPOCH's.
epoch="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"
date="$(date -u -d "@$epoch" +%Y-%m-%d)"

rm -rf "$dist"
mkdir -p "$dist/linux" "$dist/symbols"

echo "-- building (release profile: fat LTO, one codegen unit)"
cargo build --release --locked --quiet
cargo build --release --locked --quiet --target "$target"
CARGO_TARGET_DIR=target/pe cargo build --release --locked --quiet --target "$target" \
  --no-default-features --features gui --bin logweave
exe_dir="target/$target/release"
cp "target/pe/$target/release/logweave.exe" "$exe_dir/logweave-pe.exe"

echo "-- Debian package"
objcopy --only-keep-debug target/release/logweave "$dist/symbols/logweave.debug"
strip -o "$dist/linux/logweave" target/release/logweave
objcopy --add-gnu-debuglink="$dist/symbols/logweave.debug" "$dist/linux/logweave"
sed -e "s|@APPSTREAM_ID@|$LOGWEAVE_APPSTREAM_ID|g" -e "s|@HOMEPAGE@|$homepage|g" \
  -e "s|@SCREENSHOTS@|$(subst "$LOGWEAVE_SCREENSHOTS")|g" -e "s|@VERSION@|$version|g" \
  -e "s|@DATE@|$date|g" -e "s|@RELEASE_NOTES_URL@|$(subst "$LOGWEAVE_RELEASE_NOTES")|g" \
  packaging/linux/logweave.metainfo.xml.in >"$dist/linux/logweave.metainfo.xml"
if grep -q '@[A-Z_]*@' "$dist/linux/logweave.metainfo.xml"; then
  echo "release: unfilled fields in the metainfo" >&2
  exit 1
fi
desktop-file-validate packaging/linux/logweave.desktop
appstreamcli validate --no-net "$dist/linux/logweave.metainfo.xml" >/dev/null ||
  { appstreamcli validate --no-net "$dist/linux/logweave.metainfo.xml"; exit 1; }
cargo deb --no-build --no-strip --quiet --output "$dist/logweave_${version}_amd64.deb"

echo "-- Windows portable zip and installer"
packaging/windows/build-installer.sh "$exe_dir" >/dev/null

echo "-- release notes, package-manager manifests, checksums"
python3 packaging/release-notes.py "$version" "$date" <CHANGELOG.md >"$dist/logweave-$version-release-notes.md"
python3 packaging/manifests.py --version "$version" --date "$date" --dist "$dist" \
  --homepage "$homepage" --downloads "$downloads" --release-notes "$(subst "$LOGWEAVE_RELEASE_NOTES")"
(cd "$dist" && sha256sum "logweave_${version}_amd64.deb" "logweave-$version-windows-x86_64.zip" \
  "logweave-$version-setup.exe" "logweave-$version-release-notes.md" >SHA256SUMS)
echo "-- sizes against packaging/size-budget.txt"
sizes=$(unzip -l "$dist/logweave-$version-windows-x86_64.zip" | awk '{print $4, $1}' | sed 's|^[^ ]*/||')
sizes="$sizes
logweave $(stat -c %s "$dist/linux/logweave")"
over=""
while read -r file budget; do
  case "$file" in '' | '#'*) continue ;; esac
  size=$(awk -v f="$file" '$1 == f {print $2}' <<<"$sizes")
  [ -n "$size" ] || { echo "release: $file is not among the shipped files" >&2; exit 1; }
  printf '  %-16s %10d bytes (budget %d)\n' "$file" "$size" "$budget"
  [ "$size" -le "$budget" ] || over="$over $file"
done <packaging/size-budget.txt
[ -z "$over" ] || { echo "release: over the size budget:$over" >&2; exit 1; }
rm -rf "$dist/linux"
ls -l "$dist"
