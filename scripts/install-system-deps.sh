#!/usr/bin/env bash
# System packages the test suite drives for real (Debian): a headless browser for the query
# and graph pages, Virtuoso for the triplestore loader, a Java runtime for Spark.
# Installs what is missing: as root, or through sudo when it needs no password; otherwise it
# stops at once and prints the one command to run. Idempotent: nothing to do is quick and quiet.
set -euo pipefail
packages=(chromium virtuoso-opensource openjdk-17-jre-headless)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
((${#missing[@]})) || exit 0

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "The tests need these Debian packages, which are not installed: ${missing[*]}." >&2
  echo "Install them (needs root), then run make test again:" >&2
  echo "    sudo bash scripts/install-system-deps.sh" >&2
  exit 1
fi
echo "installing system packages for the tests: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
