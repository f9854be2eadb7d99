/**
 * `scripts/test-cluster.sh up|down|status`: the real test cluster by hand.
 * `up` builds what is missing, starts the cluster (or keeps the running one) until
 * `down`, and prints `KUBECONFIG=<absolute path>` as its last line.
 */
import * as fs from 'fs';
import * as path from 'path';
import { STATE_DIR, startRealCluster, stopRealCluster } from './real-cluster';

async function main(cmd: string | undefined): Promise<number> {
  const log = (s: string) => process.stderr.write(`test-cluster: ${s}\n`);
  switch (cmd) {
    case 'up': {
      const t0 = Date.now();
      const c = await startRealCluster({ persistent: true, log });
      await c.stop(); // this process leaves; the cluster stays (persistent) until `down`
      const s = c.state;
      log(c.started
        ? `started in ${((Date.now() - t0) / 1000).toFixed(1)} s (build ${s.buildSeconds.toFixed(1)} s, start ${s.startSeconds.toFixed(1)} s)`
        : 'already running');
      console.log(`# management API ${s.server} (etcd + kube-apiserver; apps.cozystack.io served by ${s.appsApi === 'cozystack-api' ? 'the real cozystack-api (COZYSTACK_API_BIN)' : 'the STAND-IN CRDs + webhook'})`);
      console.log(`# non-admin kubeconfig (tenant-root super-admin): ${c.tenantKubeconfig}`);
      console.log(`# tenant cluster (second kube-apiserver): ${c.tenantClusterKubeconfig}`);
      console.log(`# logs: ${path.join(STATE_DIR, 'logs')}; stop with: scripts/test-cluster.sh down`);
      console.log(`KUBECONFIG=${c.kubeconfig}`);
      return 0;
    }
    case 'down':
      await stopRealCluster();
      log(`stopped; removed ${STATE_DIR}`);
      return 0;
    case 'status': {
      const f = path.join(STATE_DIR, 'state.json');
      if (!fs.existsSync(f)) {
        console.log('not running');
        return 1;
      }
      console.log(fs.readFileSync(f, 'utf8').replace(/"adminToken": "[^"]*"/, '"adminToken": "…"'));
      return 0;
    }
    default:
      process.stderr.write('usage: scripts/test-cluster.sh up|down|status\n');
      return 2;
  }
}

main(process.argv[2]).then((code) => process.exit(code), (e) => {
  process.stderr.write(`test-cluster: ${(e as Error).message}\n`);
  process.exit(1);
});
