/**
 * The quota key rules of src/domain/quotas.ts against a real kube-apiserver (v1.34, the
 * shared test cluster): each key is rendered as the tenant chart renders it
 * (test-reconciler's quotaHard, an implementation of cozy-lib resources.flatten apart
 * from the library's), and the ResourceQuota is created with a server-side dry run.
 * What the library refuses, Kubernetes refuses; what it accepts or only warns about,
 * Kubernetes takes.
 */
import { classifyQuotaKey, QUOTA_KEYS } from '../src/domain/quotas';
import { RealCluster, startRealCluster } from './support/real-cluster';
import { quotaHard } from './support/test-reconciler';

jest.setTimeout(120_000);

let cluster: RealCluster;

beforeAll(async () => {
  cluster = await startRealCluster();
}, 45 * 60_000);

afterAll(async () => {
  await cluster?.stop();
});

/** Whether the API server takes the chart's ResourceQuota for these quotas, and its message if not. */
function apiTakes(quotas: Record<string, string>): { ok: boolean; message: string } {
  const rq = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'tenant-quota', namespace: 'default' }, spec: { hard: quotaHard(quotas) } };
  const r = cluster.run(['create', '--dry-run=server', '-f', '-'], { input: JSON.stringify(rq) });
  return { ok: r.status === 0, message: r.stderr.trim() };
}

// rule: tenant/quota-keys
test('every key the library takes, Kubernetes takes; every key it refuses for Kubernetes\' sake, Kubernetes refuses', () => {
  const keys = [
    ...QUOTA_KEYS,
    'nvidia.com/gpu', 'count/deployments.apps', 'count/services', 'requests.nvidia.com/gpu', 'gold.storageclass.storage.k8s.io/requests.storage',
    'requests.cpu', 'limits.cpu', 'limits.memory', 'requests.storage', 'requests.ephemeral-storage', 'memroy', 'CPU', 'gpu',
    'services.clusterip', 'hugepages-2Mi', 'requests.hugepages-2Mi', 'NVIDIA.com/gpu', 'a/b/c',
  ];
  const got = keys.map(k => {
    const verdict = classifyQuotaKey(k).status;
    const api = apiTakes({ [k]: '2' });
    return { key: k, library: verdict === 'refused' ? 'refused' : 'taken', kubernetes: api.ok ? 'taken' : 'refused' };
  });
  expect(got.filter(g => g.library !== g.kubernetes)).toEqual([]);
  expect(got.filter(g => g.library === 'refused').length).toBeGreaterThan(10);
});

test('fractional object counts and extended resources are refused by both', () => {
  for (const [k, v] of [['pods', '1.5'], ['nvidia.com/gpu', '500m'], ['services.loadbalancers', '0.5']]) {
    expect({ k, api: apiTakes({ [k]: v }).ok }).toEqual({ k, api: false });
  }
  expect(apiTakes({ 'pods': '1k', 'nvidia.com/gpu': '2', 'cpu': '1.5' }).ok).toBe(true);
});
