#!/usr/bin/env bash
# The main job on one machine: start the 3-node lab, bootstrap examples/lab.yaml (with -Mkfs of node1's
# stand-in disk), and show the cluster's status. Run as root on Debian 12 with the .NET SDK.
#   bash examples/demo.sh          # up, bootstrap, status
#   bash examples/demo.sh down     # tear the cluster down and stop the lab
set -euo pipefail
cd "$(dirname "$0")/.."
hatools() { dotnet run --project src/HaTools.Cli -c Release --no-build -- "$@"; }
if [ "${1:-}" = down ]; then
  [ -f examples/lab/nodes.yaml ] && dotnet build src/HaTools.Cli -c Release -nologo -v q >/dev/null && hatools teardown --yes --cluster examples/lab.yaml || true
  exec bash tests/lab/lab.sh down
fi
[ "$(id -u)" -eq 0 ] || { echo "demo: the lab needs root (network namespaces)" >&2; exit 1; }
bash tests/install-deps.sh
echo "==> build"
dotnet build src/HaTools.Cli -c Release -nologo -v q
echo "==> lab: 3 bare nodes"
bash tests/lab/lab.sh up 3
echo "==> hatools validate examples/lab.yaml"
hatools validate examples/lab.yaml
echo "==> hatools bootstrap --mkfs examples/lab.yaml"
time hatools bootstrap --mkfs examples/lab.yaml
echo "==> hatools status --cluster examples/lab.yaml"
hatools status --cluster examples/lab.yaml
echo
echo "The lab keeps running. Try: hatools move vip node2 --wait --cluster examples/lab.yaml"
echo "Stop it with: bash examples/demo.sh down"
