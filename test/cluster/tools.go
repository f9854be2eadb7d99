//go:build tools

// Package cluster pins the Kubernetes API server for the test cluster.
// `go build k8s.io/kubernetes/cmd/kube-apiserver` from this module builds it.
package cluster

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
)
