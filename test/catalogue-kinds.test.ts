/**
 * The catalogue's app constructs (issue 12): a name apart from the construct id, one
 * construct per ApplicationDefinition, credentials and endpoints from the registry,
 * the needs rule, version profiles and deprecated fields.
 */
import { Testing } from 'cdk8s';
import { EtcdService, KubernetesCluster, RootTenant, Tenant } from '../src';
import { synthProblems, tempApp } from './support/synth';

function platform(): { root: RootTenant; app: ReturnType<typeof tempApp> } {
  const app = tempApp();
  const root = new RootTenant(app, 'platform', { host: 'example.org' });
  return { root, app };
}

test('a Tenant k5 and a Kubernetes named k5 live side by side in one tenant (name apart from id)', () => {
  const { root, app } = platform();
  new EtcdService(root);
  const foo = new Tenant(root, 'foo');
  new Tenant(foo, 'k5');
  const cluster = new KubernetesCluster(foo, 'k5-cluster', { name: 'k5' });
  expect(cluster.name).toBe('k5');
  expect(cluster.node.id).toBe('k5-cluster');
  expect(cluster.adminKubeconfigSecretName).toBe('kubernetes-k5-admin-kubeconfig');
  expect(cluster.host).toBe('kubernetes-k5.foo.example.org');
  expect(synthProblems(app)).toEqual([]);
  const objects = Testing.synth(root);
  const names = objects.filter(o => o.metadata.namespace === 'tenant-foo').map(o => `${o.kind}/${o.metadata.name}`).sort();
  expect(names).toEqual(['Kubernetes/k5', 'Tenant/k5']);
  const k = objects.find(o => o.kind === 'Kubernetes');
  expect(k.spec.name).toBeUndefined();
});

test('the name limit comes from the registry: len(prefix + name) <= 53', () => {
  const { root, app } = platform();
  new EtcdService(root);
  new KubernetesCluster(root, 'ok', { name: 'a'.repeat(42) });
  new KubernetesCluster(root, 'long', { name: 'a'.repeat(43) });
  const problems = synthProblems(app);
  expect(problems).toEqual([{ path: 'platform/long', message: expect.stringContaining('at most 42 characters') }]);
});
