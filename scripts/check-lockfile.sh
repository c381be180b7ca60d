#!/usr/bin/env bash
# Fails when `npm install` would change package-lock.json: resolves the lock again from package.json and
# the committed lock (no install, no scripts) in a scratch copy and compares.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp package.json package-lock.json "$scratch/"
(cd "$scratch" && npm install --package-lock-only --ignore-scripts --no-audit --no-fund >/dev/null 2>&1)
if ! diff -q package-lock.json "$scratch/package-lock.json" >/dev/null; then
  echo "check-lockfile: npm install would change package-lock.json:" >&2
  diff -u package-lock.json "$scratch/package-lock.json" | head -40 >&2 || true
  echo "check-lockfile: run 'npm install' and commit package-lock.json" >&2
  exit 1
fi
echo "check-lockfile: package-lock.json is complete and current"
