#!/usr/bin/env bash
# Makes sure the Debian packages the test suites drive are installed:
#   chromium      (/usr/bin/chromium)  browser suites, driven by playwright-core
#   poppler-utils (/usr/bin/pdftoppm, /usr/bin/pdftotext)  the paper card's
#                 print → rasterise → scan loop and its printed-text check
# Installs with apt-get only what is missing: idempotent, and a no-op on a
# machine that has them.
#
#   bash scripts/ensure-test-tools.sh              # install if missing; exit 1 if it cannot
#   bash scripts/ensure-test-tools.sh --warn-only  # same, but only warn (exit 0) if it cannot
#
# Runs apt-get directly as root, through `sudo -n` (never prompts) otherwise.
# CI (.ci/run) runs it strictly; `npm test` (pretest) runs it with
# --warn-only, so a machine without apt-get or root can still run the other
# tests (the suites needing these tools then fail, naming this script).
set -uo pipefail

# package → a file it installs
PACKAGES=("chromium:/usr/bin/chromium" "poppler-utils:/usr/bin/pdftoppm")
warn_only=false
for arg in "$@"; do
  case "$arg" in
    --warn-only) warn_only=true ;;
    *) echo "ensure-test-tools: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

give_up() {
  echo "ensure-test-tools: $1" >&2
  echo "ensure-test-tools: the browser and paper-card suites need Debian's chromium and poppler-utils (apt-get install chromium poppler-utils)." >&2
  if $warn_only; then exit 0; fi
  exit 1
}

missing=()
for entry in "${PACKAGES[@]}"; do
  package="${entry%%:*}"; file="${entry#*:}"
  [ -x "$file" ] || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  give_up "apt-get not found: install ${missing[*]} yourself."
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root() { "$@"; }
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root() { sudo -n "$@"; }
else
  give_up "not root, and sudo is missing or needs a password: run \`sudo apt-get install ${missing[*]}\` yourself."
fi

echo "ensure-test-tools: installing Debian's ${missing[*]} with apt-get…" >&2
if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null; then
  give_up "apt-get update failed."
fi
if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; then
  give_up "apt-get install ${missing[*]} failed."
fi
for entry in "${PACKAGES[@]}"; do
  package="${entry%%:*}"; file="${entry#*:}"
  [ -x "$file" ] || give_up "apt-get installed $package, but $file is still missing."
done
echo "ensure-test-tools: installed ${missing[*]}." >&2
