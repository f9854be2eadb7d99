/**
 * `cdk8s-cozystack explain` on a synthesized bundle.
 */
import { buildPlatform } from '../examples/platform';
import { tempApp } from './support/synth';
import { run } from '../src/cli/main';

async function explain(...args: string[]) {
  const app = tempApp();
  buildPlatform(app);
  app.synth();
  let out = '';
  let err = '';
  const code = await run(['explain', ...args, '--bundle', app.outdir], { out: t => { out += t; }, err: t => { err += t; } });
  return { code, out, err };
}

test('an app: where its data lives, how it is reached, where metrics go, who manages it, its Secret', async () => {
  const { code, out } = await explain('platform/u1/u2/cluster1');
  expect(code).toBe(0);
  expect(out).toContain('Kubernetes cluster1');
  expect(out).toMatch(/etcd of u1 \(tenant-u1\)/);
  expect(out).toContain('kubernetes-cluster1.u2.u1.example.org');
  expect(out).toContain('kubernetes-cluster1-admin-kubeconfig');
  expect(out).toContain('tenant-root-{view,use,admin,super-admin}');
});

test('by namespace/name, and an unknown target fails with exit code 1', async () => {
  expect((await explain('tenant-u1-u2/db1')).out).toContain('Secret postgres-db1-credentials in namespace tenant-u1-u2');
  const bad = await explain('tenant-u1-u2/db2');
  expect(bad.code).toBe(1);
  expect(bad.err).toContain('db1');
});
