#!/usr/bin/env bash
# The Debian packages WeasyPrint needs to draw PDFs (Pango >= 1.44 with HarfBuzz and fontconfig)
# and the fonts the letters are set in. Installs what is missing when run as root (or with
# password-less sudo); otherwise prints the command to run and fails.
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core)

if ! command -v dpkg >/dev/null 2>&1; then
    echo "Not a Debian system: install Pango (1.44 or later), HarfBuzz, fontconfig and the DejaVu fonts yourself."
    exit 0
fi
missing=()
for pkg in "${packages[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    run=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    run=(sudo)
else
    echo "WeasyPrint needs these Debian packages: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
echo "Installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${run[@]}" apt-get update -qq
"${run[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
