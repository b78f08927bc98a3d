#!/usr/bin/env bash
# Installs icestream's build and test dependencies from Debian packages (idempotent).
# Node.js/npm are used only by the interop tests (readers we did not write, from npm).
set -euo pipefail

PKGS=(build-essential cmake pkg-config clang
      libzstd-dev libsnappy-dev zlib1g-dev liblz4-dev libbrotli-dev
      libjansson-dev libsqlite3-dev libcurl4-openssl-dev libssl-dev libpq-dev
      postgresql time python3-botocore python3-boto3)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all Debian packages present"
fi
