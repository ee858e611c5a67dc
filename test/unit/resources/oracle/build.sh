#!/usr/bin/env bash
# Builds the printers oracle: a tiny Go program that runs kube-apiserver's own Table printers (pkg/printers/
# internalversion, at the Kubernetes version pinned in test/cluster/apiserver/go.mod) over API objects.
# compare.ts then checks our rows against it, fixture by fixture. Needs Go and a warm module cache (build.sh of
# test/cluster fills it); not part of `npm test`.
#
#   test/unit/resources/oracle/build.sh    prints the binary's path on the last line
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pinned="$here/../../../cluster/apiserver"
out_dir="${TIMONEIRO_CACHE:-$HOME/.cache/timoneiro}/oracle"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Same requirements as the pinned kube-apiserver build, under another module name.
sed 's#^module .*#module timoneiro.test/printers-oracle#' "$pinned/go.mod" >"$work/go.mod"
cp "$pinned/go.sum" "$here/main.go" "$work/"
mkdir -p "$out_dir"
(cd "$work" && GOWORK=off GOFLAGS=-mod=mod go build -o "$out_dir/printers-oracle" .)
echo "$out_dir/printers-oracle"
