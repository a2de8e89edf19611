#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed at /usr/bin/chromium, for the
# wallet's browser suite (holder-wallet/browser/browser-suite.test.ts, driven
# by playwright-core). Installs it with apt-get only when it is missing:
# idempotent, and a no-op on a machine that has it.
#
#   bash scripts/ensure-chromium.sh              # install if missing; exit 1 if it cannot
#   bash scripts/ensure-chromium.sh --warn-only  # same, but only warn (exit 0) if it cannot
#
# Runs apt-get directly as root, through `sudo -n` (never prompts) otherwise.
# CI (.ci/run) runs it strictly; `npm test` (pretest) runs it with
# --warn-only, so a machine without apt-get or root can still run the other
# tests (the browser suite then fails, naming this script).
set -uo pipefail

CHROMIUM=/usr/bin/chromium
warn_only=false
for arg in "$@"; do
  case "$arg" in
    --warn-only) warn_only=true ;;
    *) echo "ensure-chromium: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

give_up() {
  echo "ensure-chromium: $1" >&2
  echo "ensure-chromium: the wallet's browser suite needs Chromium at $CHROMIUM (Debian: apt-get install chromium)." >&2
  if $warn_only; then exit 0; fi
  exit 1
}

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  give_up "apt-get not found: install Chromium yourself."
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root() { "$@"; }
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root() { sudo -n "$@"; }
else
  give_up "not root, and sudo is missing or needs a password: run \`sudo apt-get install chromium\` yourself."
fi

echo "ensure-chromium: $CHROMIUM is missing; installing Debian's chromium with apt-get…" >&2
if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null; then
  give_up "apt-get update failed."
fi
if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; then
  give_up "apt-get install chromium failed."
fi
if [ ! -x "$CHROMIUM" ]; then
  give_up "apt-get installed chromium, but $CHROMIUM is still missing."
fi
echo "ensure-chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)." >&2
