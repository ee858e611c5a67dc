#!/usr/bin/env bash
# Builds the benchmark peers into ${TIMONEIRO_CACHE:-$HOME/.cache/timoneiro}/peers/client-go-<version>/ (outside the
# repo, shared with every clone on the machine, like test/cluster/build.sh). A warm run is a no-op.
#
#   bench/peers/build.sh    build if needed; prints the informer-peer binary's path on the last line of stdout
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache_root="${TIMONEIRO_CACHE:-$HOME/.cache/timoneiro}"

if ! command -v go >/dev/null 2>&1; then
  echo "bench/peers/build.sh: ERROR: 'go' was not found on PATH; the client-go peer is built from source with Go >= 1.26." >&2
  exit 1
fi
export GOWORK=off
export GOFLAGS="${GOFLAGS:--buildvcs=false}"

mod="$here/client-go"
version="$(awk '$1=="require" && $2=="k8s.io/client-go"{print $3}' "$mod/go.mod")"
[[ -n "$version" ]] || { echo "bench/peers/build.sh: cannot read the client-go version from $mod/go.mod" >&2; exit 1; }
out="$cache_root/peers/client-go-$version"
bin="$out/informer-peer"
# Rebuild when the sources change: the stamp is a hash of go.mod, go.sum and the Go files.
stamp="$(cat "$mod"/go.mod "$mod"/go.sum "$mod"/*.go | sha256sum | cut -c1-16)"
if [[ -x "$bin" && "$(cat "$out/stamp" 2>/dev/null)" == "$stamp" ]]; then
  echo "[peers/build.sh] up to date: $bin (client-go $version)" >&2
else
  mkdir -p "$out"
  echo "[peers/build.sh] building informer-peer (client-go $version)" >&2
  t0=$(date +%s)
  (cd "$mod" && CGO_ENABLED=0 nice -n 10 go build -trimpath -ldflags "-s -w" -o "$bin.tmp" .)
  mv -f "$bin.tmp" "$bin"
  echo "$stamp" >"$out/stamp"
  echo "[peers/build.sh] built in $(($(date +%s) - t0))s" >&2
fi
echo "$bin"
