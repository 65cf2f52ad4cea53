#!/usr/bin/env bash
# Draws which folder of src/LightNvr uses which (Mermaid), read from the compiled assembly by the same
# code as the test that fails on a cycle (tests/LightNvr.Tests/Layering). Usage: toolchain/folder-graph.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-docs/folder-graph.mmd}")
dotnet build tests/LightNvr.Tests -c Release --nologo --verbosity quiet >/dev/null
FOLDER_GRAPH_OUT="$out" dotnet tests/LightNvr.Tests/bin/Release/net10.0/LightNvr.Tests.dll \
  --treenode-filter "/*/*/FolderGraphTests/The_folders_of_the_appliance_have_no_cycle" >/dev/null \
  || { echo "folder-graph: the folders have a cycle; run the test for the references that make it" >&2; exit 1; }
echo "$out"
