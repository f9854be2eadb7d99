/**
 * A computed bundle is the caller's: changing its manifests or its topology changes nothing
 * the platform computes next. (The synthesis shares one rendering of each spec between
 * validation and the bundle; what the bundle holds must never be the constructs' own state,
 * the program's props or the registry's lists.)
 */
import * as plus from 'cdk8s-plus-28';
import { buildCatalogue } from '../examples/catalogue';
import { buildPlatform } from '../examples/platform';
import { EtcdService, KubernetesCluster, RootTenant, Tenant } from '../src';
import { richPlatform } from './support/rich-platform';
import { tempApp } from './support/synth';
import { REGISTRY } from '../src/domain/registry';

/** Changes every map and list reachable from `x`; frozen parts (shared read-only data) are left as they are. */
function scribble(x: unknown, seen = new Set<unknown>()): void {
  if (x === null || typeof x !== 'object' || seen.has(x) || Object.isFrozen(x)) return;
  seen.add(x);
  if (Array.isArray(x)) {
    x.forEach(v => scribble(v, seen));
    x.push('scribbled');
    return;
  }
  const map = x as Record<string, unknown>;
  for (const k of Object.keys(map)) {
    if (typeof map[k] === 'string') map[k] = `${map[k]}-scribbled`;
    else scribble(map[k], seen);
  }
  map.scribbled = true;
}

function platformWithOwnState(): RootTenant {
  const app = tempApp();
  const root = new RootTenant(app, 'platform', { host: 'example.org' });
  new EtcdService(root, { size: '8Gi' });
  const quotas = { cpu: '10', memory: '20Gi' };
  const t = new Tenant(root, 't', { resourceQuotas: quotas });
  new Tenant(root, 'u', { resourceQuotas: quotas });
  const k = new KubernetesCluster(t, 'k', { nodeGroups: { md0: { minReplicas: 1, maxReplicas: 2, instanceType: 'u1.medium', diskSize: '20Gi' } } });
  const chart = new plus.Secret(k.workloads, 'oidc', {});
  k.addApiServerSecretVolume('oidc', chart, '/etc/oidc');
  return root;
}

test.each<[string, () => RootTenant]>([
  ['the catalogue', () => buildCatalogue(tempApp())],
  ['the README example', () => buildPlatform(tempApp())],
  ['a platform setting many values', () => richPlatform().root],
  ['modules with values, shared quota props, API server volumes', platformWithOwnState],
])('%s: scribbling over a computed bundle changes nothing computed after', (_, build) => {
  const root = build();
  const usesBefore = JSON.stringify(REGISTRY.all().map(d => d.uses));
  const first = root.synthBundle();
  const files = { ...first.files };
  scribble(first.manifests);
  scribble(first.topology);
  scribble(first.index);
  const second = root.synthBundle();
  expect(second.files).toEqual(files);
  expect(JSON.stringify(REGISTRY.all().map(d => d.uses))).toEqual(usesBefore);
});
