#!/usr/bin/env bash
# System packages the test suite drives for real (Debian): a headless browser for the
# query and graph pages, Virtuoso for the triplestore loader. Needs root; idempotent.
set -euo pipefail
packages=(chromium virtuoso-opensource openjdk-17-jre-headless)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
