#!/usr/bin/env bash
# Install the Debian packages Shelfscan needs. `run`: the app; `test`: the app plus the test tools.
# As root it installs what is missing with apt; otherwise it prints the exact command to run.
set -euo pipefail
want=(libzbar0 fonts-dejavu-core)
if [ "${1:-run}" = "test" ]; then
  want+=(chromium poppler-utils curl)  # curl: the API examples in docs/ are run as written
  want+=(cups cups-client printer-driver-cups-pdf)  # printing tests: a private cupsd with a PDF queue
fi
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Shelfscan needs these system packages: ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
