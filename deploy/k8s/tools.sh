#!/usr/bin/env bash
# Installs what `make lint` validates the Kubernetes manifests with, into $MEDIPRIMA_VAR_DIR/bin
# (.var/bin) when missing: kubeconform, and kustomize unless kubectl (which carries it) is there.
# Both are Go modules, built with the Go toolchain from the Go module proxy.
set -euo pipefail
KUBECONFORM_VERSION=v0.7.0
KUSTOMIZE_VERSION=v5.5.0
bin="${MEDIPRIMA_VAR_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/.var}/bin"
mkdir -p "$bin"

install() {  # install MODULE@VERSION when $bin/NAME is missing
    local name=$1 module=$2
    [[ -x "$bin/$name" ]] && return
    command -v go >/dev/null || { echo "tools.sh: Go is needed to build $name ($module)" >&2; exit 1; }
    echo "installing $name ($module) into $bin" >&2
    GOBIN="$bin" GOFLAGS=-mod=mod go install "$module"
}

install kubeconform "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION"
if ! command -v kubectl >/dev/null; then
    install kustomize "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
fi
