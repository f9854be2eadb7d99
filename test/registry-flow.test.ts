/**
 * A kind added to a copy of the registry flows to topology.json, plan and explain with
 * no other edit: the bundle records what the registry derives, and the CLI reads it.
 */
import { App } from 'cdk8s';
import { Construct } from 'constructs';
import { CozystackAppBase, RootTenant, Tenant } from '../src';
import { tempApp } from './support/synth';
import { readBundle } from '../src/bundle/read';
import { computePlan } from '../src/cli/plan';
import { renderText } from '../src/cli/render';
import { KindDefinition, REGISTRY } from '../src/domain/registry';
import { explainTopology } from '../src/report/explain';

/** A kind Cozystack does not have: a Redis-compatible store with a Secret and a Service of its own. */
const VALKEY: KindDefinition = {
  ...REGISTRY.get('Redis'),
  kind: 'Valkey',
  plural: 'valkeys',
  releasePrefix: 'valkey-',
  holdsData: true,
  credentials: [{ id: 'auth', secret: 'valkey-{{ .name }}-password', keys: ['password'], description: 'the password of the default user' }],
  endpoints: [{ id: 'primary', name: 'valkey-{{ .name }}-primary', kind: 'service', description: 'the primary' }],
};

/** A construct of that kind, written as a library built on this one would. */
class Valkey extends CozystackAppBase {
  public readonly host = '';
  public constructor(scope: Construct, id: string) {
    super(scope, id, 'Valkey');
  }

  protected renderSpec(): { [key: string]: any } {
    return {};
  }
}

function platform(app: App, withStore: boolean): string {
  const root = new RootTenant(app, 'platform', { host: 'example.org' });
  root._useRegistry(REGISTRY.with(VALKEY));
  const shop = new Tenant(root, 'shop');
  if (withStore) new Valkey(shop, 'cache');
  app.synth();
  return app.outdir;
}

test('topology.json records the new kind with the names the registry copy derives', () => {
  const bundle = readBundle(platform(tempApp(), true));
  const app = bundle.topology.apps.find(a => a.kind === 'Valkey')!;
  expect(app).toMatchObject({
    name: 'cache',
    namespace: 'tenant-shop',
    plural: 'valkeys',
    release: 'valkey-cache',
    holdsData: true,
    credentials: [{ secret: 'valkey-cache-password', keys: ['password'] }],
    endpoints: [{ name: 'valkey-cache-primary', kind: 'service' }],
  });
  // The registry itself is untouched.
  expect(REGISTRY.tryGet('Valkey')).toBeUndefined();
});

test('plan calls deleting it destructive, from the recorded holdsData', () => {
  const before = readBundle(platform(tempApp(), true));
  const after = readBundle(platform(tempApp(), false));
  const plan = computePlan(before, after);
  expect(plan.destructive.map(d => d.key)).toEqual(['Valkey/tenant-shop/cache']);
  expect(renderText(plan)).toContain('Valkey/tenant-shop/cache');
});

test('explain shows its release, Secret and Service', () => {
  const bundle = readBundle(platform(tempApp(), true));
  const text = explainTopology(bundle.topology, 'tenant-shop/cache');
  expect(text).toContain('valkey-cache');
  expect(text).toContain('valkey-cache-password');
  expect(text).toContain('valkey-cache-primary');
});
