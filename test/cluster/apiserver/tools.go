//go:build tools

// Package tools pins k8s.io/kubernetes in go.mod/go.sum so that build.sh can
// `go build k8s.io/kubernetes/cmd/{kube-apiserver,kube-controller-manager,kube-scheduler}` from this module.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)
