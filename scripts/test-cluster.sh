#!/usr/bin/env bash
# The real test cluster by hand: etcd + kube-apiserver built from test/cluster/
# (Go), apps.cozystack.io served by stand-in CRDs, the test reconciler playing
# Flux/Helm. State, logs and pids live in .cache/test-cluster/.
#   scripts/test-cluster.sh up      # build if needed, start; last line: KUBECONFIG=<path>
#   scripts/test-cluster.sh down    # stop everything it started, remove its files
#   scripts/test-cluster.sh status
# Needs: go (first build takes minutes), node_modules (npm ci), ../shared beside the repo.
# COZYSTACK_API_BIN=<cozystack-api binary> serves apps.cozystack.io with the real
# cozystack-api instead of the stand-in (root; see test/cluster/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules/ts-node ]; then
  echo "test-cluster: node_modules missing: run npm ci first" >&2
  exit 1
fi
exec node node_modules/ts-node/dist/bin.js --transpile-only --project tsconfig.json \
  test/support/test-cluster-cli.ts "${1:-}"
