/**
 * The library reads its own objects' manifests without cdk8s's resolving where nothing it
 * would act on is there (src/constructs/private/api-object.ts `manifestOf`). It must give
 * exactly what `toJson()` gives, for every object and whatever the program did to it.
 */
import { ApiObject, App, JsonPatch, Lazy } from 'cdk8s';
import { buildCatalogue } from '../examples/catalogue';
import { Kafka, Postgres, Redis, RootTenant, Tenant } from '../src';
import { richPlatform } from './support/rich-platform';
import { tempApp } from './support/synth';
import { manifestOf } from '../src/constructs/private/api-object';
import { platformObjects } from '../src/constructs/private/collect';

function expectSameAsToJson(objects: ApiObject[]): void {
  expect(objects.length).toBeGreaterThan(0);
  for (const o of objects) {
    const fast = manifestOf(o);
    const cdk8s = o.toJson();
    // Keys holding undefined count, and key order too: the YAML writer keeps it.
    expect(fast).toStrictEqual(cdk8s);
    expect(JSON.stringify(fast)).toEqual(JSON.stringify(cdk8s));
  }
}

test('every object of the catalogue and of a platform setting many values reads the same as toJson()', () => {
  const app = tempApp();
  const root = buildCatalogue(app);
  expectSameAsToJson(platformObjects(root));
  const rich = richPlatform();
  expectSameAsToJson(platformObjects(rich.root));
});

describe('what a program does to an object is read as cdk8s renders it', () => {
  function one(app: App = tempApp()) {
    const root = new RootTenant(app, 'platform', { host: 'example.org' });
    const t = new Tenant(root, 't');
    const pg = new Postgres(t, 'db', { users: { app: {} }, databases: { app: { roles: { admin: ['app'] } } } });
    return { root, t, pg };
  }

  test.each<[string, (o: ApiObject) => void, (m: any) => boolean]>([
    ['a label and an annotation added', o => { o.metadata.addLabel('team', 'a'); o.metadata.addAnnotation('note', 'x'); },
      m => m.metadata.labels.team === 'a' && m.metadata.annotations.note === 'x'],
    ['a JSON patch', o => o.addJsonPatch(JsonPatch.add('/spec/replicas', 5)), m => m.spec.replicas === 5],
    ['a finalizer', o => o.metadata.addFinalizers('example.org/keep'), m => m.metadata.finalizers[0] === 'example.org/keep'],
    ['an owner reference', o => o.metadata.addOwnerReference({ apiVersion: 'v1', kind: 'ConfigMap', name: 'c', uid: 'u' }),
      m => m.metadata.ownerReferences[0].name === 'c'],
    ['an extra metadata attribute', o => o.metadata.add('generateName', 'db-'), m => m.metadata.generateName === 'db-'],
    ['a lazy label', o => o.metadata.addLabel('lazy', Lazy.any({ produce: () => 'v' }) as any), m => m.metadata.labels.lazy === 'v'],
  ])('%s', (_, change, shows) => {
    const { pg } = one();
    change(pg.apiObject);
    expect(shows(manifestOf(pg.apiObject))).toBe(true);
    expectSameAsToJson([pg.apiObject]);
  });

  test('null values, nulls in lists and maps, and empty maps in a spec', () => {
    const { t } = one();
    const redis = new Redis(t, 'cache', { replicas: null as any, resources: { cpu: undefined, memory: null } as any, external: false, size: '1Gi' });
    const m = manifestOf(redis.apiObject);
    expect('replicas' in m.spec).toBe(false);
    expect(m.spec.resources).toEqual({});
    const kafka = new Kafka(t, 'k', { topics: [null as any, { name: 'a', partitions: 1, replicas: 1, config: { x: null } } as any] });
    expect(manifestOf(kafka.apiObject).spec.topics[1].config).toStrictEqual({});
    class Resources { public readonly cpu = '1'; public readonly memory = null; }
    const other = new Redis(t, 'other', { resources: new Resources() as any, size: '1Gi' });
    expect(manifestOf(other.apiObject).spec.resources).toStrictEqual({ cpu: '1' });
    expectSameAsToJson([redis.apiObject, kafka.apiObject, other.apiObject]);
  });

  test('values cdk8s\'s own resolvers act on: a resolve function and a constructor key', () => {
    const { t } = one();
    const token = new Redis(t, 'token', { resources: { cpu: { resolve: () => '2' } as any }, size: '1Gi' });
    expect(manifestOf(token.apiObject).spec.resources.cpu).toBe('2');
    const union = new Redis(t, 'union', { resources: { cpu: { constructor: 'x', value: '3' } as any }, size: '1Gi' });
    expectSameAsToJson([token.apiObject, union.apiObject]);
  });

  test('an App with a resolver of its own', () => {
    const app = new App({ outdir: tempApp().outdir, resolvers: [{ resolve: ctx => { if (ctx.value === 'u1.medium') ctx.replaceValue('u1.large'); } }] });
    const { t } = one(app);
    const pg = new Postgres(t, 'other', { resourcesPreset: 'u1.medium' } as any);
    expect(manifestOf(pg.apiObject).spec.resourcesPreset).toBe('u1.large');
    expectSameAsToJson([pg.apiObject]);
  });

  test('CDK8S_DISABLE_SORT (read without cdk8s: the same keys in the same order)', () => {
    const { pg } = one();
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      expectSameAsToJson([pg.apiObject]);
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
  });
});
