//go:build tools

// Package tools pins k8s.io/kubernetes in go.mod/go.sum so that build.sh can
// `go build k8s.io/kubernetes/cmd/kube-apiserver` from this module.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
)
