#!/usr/bin/env bash
# Installs what HaTools' lab and tests need on Debian 12. Idempotent: installs only what is missing.
#   install-deps.sh               Debian packages (as root) + PowerShell and Pester
#   install-deps.sh --powershell  PowerShell and Pester only (no root needed)
# PowerShell 7.6.9 comes from the NuGet registry as a .NET tool into <repo>/.tools/pwsh; Pester 5.7.1 and 6.2.0
# (and a second YamlDotNet for the dependency-isolation test) are restored by tests/Pester/deps into
# <repo>/.tools/packages. Both folders are ignored by git.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd -P)
pwsh_version=7.6.9
pester_versions=(5.7.1 6.2.0)

install_debian() {
  # File services (issue 11): ctdb, samba, nfs-ganesha(-vfs) run in the lab nodes; smbclient, libnfs-utils (nfs-cat)
  # and iputils-arping (which MACs answer for a VIP) are the host's clients. Lab nodes copy the host's /etc when
  # created, so these come before `lab.sh up` (lab.sh recreates a lab made before an install: it keeps dpkg's stamp).
  local pkgs=(openssh-server openssh-client pacemaker pacemaker-cli-utils corosync crmsh pcs resource-agents ucarp
              openssl iproute2 procps psmisc util-linux e2fsprogs coreutils
              ctdb samba nfs-ganesha nfs-ganesha-vfs smbclient libnfs-utils iputils-arping)
  local missing=() p
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-deps: all ${#pkgs[@]} packages present"
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing ${missing[*]}; run as root to install them" >&2
    return 1
  fi
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Debian's maintainer scripts would start the daemons on the host; nothing but the lab nodes may run them.
  local policy=/usr/sbin/policy-rc.d created_policy=0 code=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod 755 "$policy"; created_policy=1; fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || code=$?
  [ "$created_policy" = 1 ] && rm -f "$policy"
  [ "$code" -eq 0 ] && echo "install-deps: done"
  return "$code"
}

install_powershell() {
  local pwsh=$root/.tools/pwsh/pwsh
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "install-deps: pwsh cannot be installed: no dotnet SDK on PATH" >&2
    return 1
  fi
  if [ -x "$pwsh" ] && "$pwsh" -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null | grep -qx "$pwsh_version"; then
    echo "install-deps: pwsh $pwsh_version present"
  else
    # A tool folder holding another version (or a broken one) is replaced, not updated in place.
    [ -e "$root/.tools/pwsh" ] && rm -rf "$root/.tools/pwsh"
    echo "install-deps: installing pwsh $pwsh_version (.NET tool PowerShell) into .tools/pwsh"
    dotnet tool install --tool-path "$root/.tools/pwsh" PowerShell --version "$pwsh_version" >/dev/null
  fi
  local v missing=0
  for v in "${pester_versions[@]}"; do
    [ -f "$root/.tools/packages/pester/$v/tools/Pester.psd1" ] || missing=1
  done
  if [ "$missing" -eq 0 ]; then
    echo "install-deps: Pester ${pester_versions[*]} present"
  else
    echo "install-deps: restoring Pester ${pester_versions[*]} into .tools/packages"
    dotnet restore "$root/tests/Pester/deps/PesterDeps.csproj" -nologo -v q >/dev/null
  fi
}

case "${1:-}" in
  --powershell) install_powershell ;;
  "") install_debian; install_powershell ;;
  *) echo "usage: install-deps.sh [--powershell]" >&2; exit 2 ;;
esac
