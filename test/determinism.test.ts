/**
 * The same program gives the same bytes, whatever order siblings were declared in.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { Construct } from 'constructs';
import { EtcdService, IngressService, KubernetesCluster, Postgres, RootTenant, Tenant } from '../src';
import { tempApp } from './support/synth';

type Step = (scopes: Map<string, Construct>) => void;

const STEPS: Step[] = [
  s => new EtcdService(s.get('root')!),
  s => s.set('a', new Tenant(s.get('root')!, 'a')),
  s => s.set('b', new Tenant(s.get('root')!, 'b', { resourceQuotas: { cpu: '4' } })),
  s => new IngressService(s.get('b')!, { replicas: 1 }),
  s => new KubernetesCluster(s.get('a')!, 'k1'),
  s => new KubernetesCluster(s.get('b')!, 'k1'),
  s => new Postgres(s.get('a')!, 'zz'),
  s => new Postgres(s.get('a')!, 'aa', { users: { u: {} } }),
  s => s.set('c', new Tenant(s.get('a')!, 'c')),
  s => new EtcdService(s.get('c')!),
  s => new KubernetesCluster(s.get('c')!, 'deep'),
];

/** Runs the steps in the given order, each once its scope exists. */
function build(order: number[]): App {
  const app = tempApp();
  const scopes = new Map<string, Construct>([['root', new RootTenant(app, 'platform', { host: 'example.org' })]]);
  const pending = [...order];
  while (pending.length) {
    const i = pending.findIndex(n => { try { STEPS[n](scopes); return true; } catch { return false; } });
    if (i < 0) throw new Error('no step can run');
    pending.splice(i, 1);
  }
  app.synth();
  return app;
}

function files(app: App): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(app.outdir).sort()) out[f] = fs.readFileSync(path.join(app.outdir, f), 'utf8');
  return out;
}

test('identical bytes across runs and declaration orders', () => {
  const forward = files(build(STEPS.map((_, i) => i)));
  const again = files(build(STEPS.map((_, i) => i)));
  const reversed = files(build(STEPS.map((_, i) => STEPS.length - 1 - i)));
  expect(Object.keys(forward)).toEqual(['index.json', 'platform.k8s.yaml', 'topology.json', 'topology.md', 'topology.mmd', 'topology.svg', 'wave-00.k8s.yaml', 'wave-01.k8s.yaml', 'wave-02.k8s.yaml']);
  expect(again).toEqual(forward);
  expect(reversed).toEqual(forward);
});

test('the order really differs between the two builds (the test can fail)', () => {
  const a = build(STEPS.map((_, i) => i)).node.findAll().map(c => c.node.path);
  const b = build(STEPS.map((_, i) => STEPS.length - 1 - i)).node.findAll().map(c => c.node.path);
  expect(a).not.toEqual(b);
  expect([...a].sort()).toEqual([...b].sort());
});
