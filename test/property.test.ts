/**
 * Property tests over random platforms (issue 4): providers, names, wave order,
 * determinism across runs and declaration orders, YAML round trip, and agreement
 * with an independent reference model of SPEC.md §3.
 *
 * Reproduce a failure with the seed fast-check prints: `FC_SEED=<seed> npx jest test/property.test.ts`.
 * `FC_NUM_RUNS` changes the number of platforms: by default 1,000 where CI runs (`CI` set, as
 * .ci/run does) and 100 where a person iterates. The seed and the count are printed either way.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import {
  buildPlatform, canonicalOrder, ModuleModel, PlatformModel, platformArb, referenceTopology, RefTopology,
  SERVICES, shuffledOrder, TenantModel, validationErrors,
} from './support/platform-arbitrary';

const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : 20260819;
const IN_CI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
const NUM_RUNS = process.env.FC_NUM_RUNS !== undefined ? Number(process.env.FC_NUM_RUNS) : IN_CI ? 1000 : 100;
if (!(Number.isInteger(SEED) && Number.isInteger(NUM_RUNS) && NUM_RUNS > 0)) {
  throw new Error(`FC_SEED and FC_NUM_RUNS must be integers, FC_NUM_RUNS positive (got ${process.env.FC_SEED}, ${process.env.FC_NUM_RUNS})`);
}
console.log(`property test: seed ${SEED}, ${NUM_RUNS} platforms${process.env.FC_NUM_RUNS === undefined ? ` (${IN_CI ? 'CI' : 'not CI'}; FC_NUM_RUNS overrides)` : ''}`);

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function assertProperty(prop: fc.IProperty<any>, numRuns = NUM_RUNS): void {
  const details = fc.check(prop, { seed: SEED, numRuns });
  if (details.failed) {
    // fast-check's report names the seed, the shrink path and the counterexample.
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`${fc.defaultReportMessage(details)}\nRe-run with FC_SEED=${details.seed} npx jest test/property.test.ts\n\nCause: ${cause}`);
  }
}

function isDnsName(host: string): boolean {
  return host.length > 0 && host.length <= 253 && host.split('.').every(l => l.length <= 63 && DNS1123_LABEL.test(l));
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function byKey<T>(list: T[], key: (x: T) => string): Map<string, T> {
  const m = new Map<string, T>();
  for (const x of list) {
    const k = key(x);
    if (m.has(k)) throw new Error(`duplicate entry ${k}`);
    m.set(k, x);
  }
  return m;
}

const objKey = (o: { kind: string; namespace?: string; name: string }) => `${o.kind}/${o.namespace ?? ''}/${o.name}`;
const manifestKey = (o: any) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

// ---------------------------------------------------------------------------
// The checks, each on one built platform
// ---------------------------------------------------------------------------

/** topology.json agrees with the reference model for every tenant and app. */
function checkReference(topology: any, ref: RefTopology): void {
  const got = byKey<any>(topology.tenants, t => t.path);
  const want = byKey(ref.tenants, t => t.path);
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [p, t] of want) {
    // Quota budgets have tests of their own (test/quotas.test.ts); checkQuotas compares what was declared.
    // The platforms drawn here set no schedulingClass (test/scheduling-class.test.ts).
    const { quota: _quota, schedulingClass, ...rest } = got.get(p);
    expect(rest).toEqual(t);
    expect(schedulingClass).toBeNull();
  }
  const gotApps = byKey<any>(topology.apps, a => a.path);
  const wantApps = byKey(ref.apps, a => a.path);
  expect([...gotApps.keys()].sort()).toEqual([...wantApps.keys()].sort());
  // The registry's derived names (release, credentials, endpoints) have tests of their own (test/registry.test.ts).
  for (const [p, a] of wantApps) {
    const { kind, name, path: at, namespace, host, services } = gotApps.get(p);
    expect({ kind, name, path: at, namespace, host, services }).toEqual(a);
  }
}

/** topology.json carries each tenant's declared quota as the program declared it. */
function checkQuotas(topology: any, m: PlatformModel): void {
  const declared = m.tenants.filter(t => t.resourceQuotas && Object.keys(t.resourceQuotas).length).map(t => t.resourceQuotas);
  const got = topology.tenants.filter((t: any) => t.quota && Object.keys(t.quota.declared).length).map((t: any) => t.quota.declared);
  const canon = (list: any[]) => list.map(q => JSON.stringify(Object.entries(q).sort())).sort();
  expect(canon(got)).toEqual(canon(declared));
}

/**
 * Every provider is the tenant itself or an ancestor, the nearest one running the
 * service; only the root may be named without running it. A cluster's etcd provider runs etcd.
 */
function checkProviders(topology: any): void {
  const tenants = byKey<any>(topology.tenants, t => t.namespace);
  const chain = (ns: string): any[] => {
    const out: any[] = [];
    for (let t = tenants.get(ns); t; t = t.parentNamespace ? tenants.get(t.parentNamespace) : undefined) out.push(t);
    return out;
  };
  for (const t of tenants.values()) {
    const up = chain(t.namespace);
    expect(up[up.length - 1].namespace).toBe('tenant-root');
    for (const s of SERVICES) {
      const provider = t.services[s];
      const at = up.findIndex(a => a.namespace === provider);
      if (at < 0) throw new Error(`${t.path}: ${s} provider ${provider} is neither the tenant nor an ancestor`);
      const runs = (x: any) => x.modules.includes(s);
      if (provider !== 'tenant-root' && !runs(up[at])) throw new Error(`${t.path}: ${s} provider ${provider} does not run ${s}`);
      // Nobody closer runs it.
      for (const between of up.slice(0, at)) {
        if (runs(between)) throw new Error(`${t.path}: ${s} provider is ${provider}, but ${between.namespace} is closer and runs it`);
      }
    }
  }
  for (const a of topology.apps) {
    const own = tenants.get(a.namespace);
    expect(own).toBeDefined();
    for (const s of Object.keys(a.services)) expect(a.services[s]).toBe(own.services[s]);
    if (a.kind === 'Kubernetes') {
      const etcd = tenants.get(a.services.etcd);
      if (!etcd.modules.includes('etcd')) throw new Error(`${a.path}: etcd provider ${a.services.etcd} does not run etcd`);
    }
  }
}

/** Namespaces and hosts are valid and unique. */
function checkNames(topology: any): void {
  const namespaces = topology.tenants.map((t: any) => t.namespace);
  expect(new Set(namespaces).size).toBe(namespaces.length);
  for (const ns of namespaces) {
    if (!(ns.length <= 63 && DNS1123_LABEL.test(ns))) throw new Error(`invalid namespace ${ns}`);
  }
  const hosts = [...topology.tenants.map((t: any) => t.host), ...topology.apps.map((a: any) => a.host)];
  expect(new Set(hosts).size).toBe(hosts.length);
  for (const h of hosts) if (!isDnsName(h)) throw new Error(`invalid host ${h}`);
  for (const t of topology.tenants) {
    // The tenant host is also a namespace label value.
    if (!(t.host.length <= 63 && LABEL_VALUE.test(t.host))) throw new Error(`${t.path}: host ${t.host} is not a label value`);
  }
}

/**
 * Every object comes in a wave after the one whose Tenant creates its namespace (the
 * index's waitFor), and every Tenant the bundle creates is waited for.
 */
function checkWaves(index: any, topology: any): void {
  const waves: any[] = index.waves;
  for (let i = 1; i < waves.length; i++) expect(waves[i].wave).toBeGreaterThan(waves[i - 1].wave);
  const createdIn = new Map<string, number>();
  for (const w of waves) {
    for (const wf of w.waitFor) {
      expect(createdIn.has(wf.tenantNamespace)).toBe(false);
      createdIn.set(wf.tenantNamespace, w.wave);
    }
  }
  // Every tenant below the root is created by the bundle and waited for.
  for (const t of topology.tenants) if (t.depth > 0) expect(createdIn.has(t.namespace)).toBe(true);
  for (const w of waves) {
    for (const o of w.objects) {
      const isRootObject = o.kind === 'Tenant' && o.namespace === 'tenant-root' && o.name === 'root';
      if (o.kind === 'Tenant') {
        expect(w.waitFor.some((wf: any) => wf.namespace === o.namespace && wf.name === o.name)).toBe(true);
      }
      if (isRootObject) continue;
      // tenant-root exists before the bundle (SPEC §3), so level-1 Tenants may share the
      // root's wave; everything else there (module tuning, apps) waits for the root's flags.
      if (o.namespace === 'tenant-root' && o.kind === 'Tenant') continue;
      const creator = createdIn.get(o.namespace);
      if (creator === undefined) {
        // Only tenant-root exists before the bundle.
        if (o.namespace !== 'tenant-root') throw new Error(`${objKey(o)} (wave ${w.wave}): nothing creates namespace ${o.namespace}`);
        continue;
      }
      if (!(w.wave > creator)) {
        throw new Error(`${objKey(o)} is in wave ${w.wave}, not after wave ${creator} whose Tenant creates ${o.namespace}`);
      }
    }
  }
}

/** The YAML read back (as YAML 1.1) is exactly the ApiObjects, in the order the index lists them. */
function checkYaml(files: Record<string, string>, index: any, objects: ApiObject[]): void {
  const fromYaml: any[] = [];
  for (const w of index.waves) {
    const text = files[w.file];
    expect(sha256(text)).toBe(w.sha256);
    const docs = YAML.parseAllDocuments(text, { version: '1.1' });
    for (const d of docs) expect(d.errors).toEqual([]);
    const parsed = docs.map(d => d.toJS());
    expect(parsed.map(manifestKey)).toEqual(w.objects.map(objKey));
    fromYaml.push(...parsed);
  }
  for (const [f, sum] of Object.entries(index.files)) expect(sha256(files[f])).toBe(sum);
  expect(Object.keys(files).sort()).toEqual(Object.keys(index.files).sort());
  const meant = objects.map(o => o.toJson());
  const got = byKey(fromYaml, manifestKey);
  const want = byKey(meant, manifestKey);
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [k, m] of want) expect(got.get(k)).toEqual(m);
}

function platformApiObjects(root: any): ApiObject[] {
  return root.node.findAll().filter((c: any) => c instanceof ApiObject);
}

function describeModel(m: PlatformModel): string {
  const depthOf = new Map<number, number>([[-1, 0]]);
  m.tenants.forEach(t => depthOf.set(t.index, depthOf.get(t.parent)! + 1));
  return `${m.tenants.length} tenants, depth ${Math.max(0, ...depthOf.values())}`;
}

// ---------------------------------------------------------------------------

describe(`random platforms (seed ${SEED}, ${NUM_RUNS} runs)`, () => {
  test('every platform: valid, matches the reference model, providers, names, waves, YAML, byte-identical across runs and orders', () => {
    const stats = { platforms: 0, tenants: 0, apps: 0, deep: 0, reordered: 0 };
    assertProperty(fc.property(platformArb(), (m) => {
      const ref = referenceTopology(m);
      const { app, root } = buildPlatform(m);
      const bundle = root.synthBundle();

      // The generator makes only valid platforms: the library must accept them.
      expect(validationErrors(app)).toEqual([]);
      checkReference(bundle.topology, ref);
      checkQuotas(bundle.topology, m);
      checkProviders(bundle.topology);
      checkNames(bundle.topology);
      checkWaves(bundle.index, bundle.topology);
      checkYaml(bundle.files, bundle.index, platformApiObjects(root));

      // Byte-identical across runs and declaration orders: a second run, in another order.
      const order = shuffledOrder(m);
      const other = buildPlatform(m, order).root.synthBundle();
      if (JSON.stringify(other.files) !== JSON.stringify(bundle.files) || JSON.stringify(other.index) !== JSON.stringify(bundle.index)) {
        // Tell a run-to-run difference from an order dependence.
        const again = buildPlatform(m).root.synthBundle();
        const cause = JSON.stringify(again.files) !== JSON.stringify(bundle.files) ? 'two runs of the same program' : 'two declaration orders';
        expect({ cause, files: other.files, index: other.index }).toEqual({ cause, files: bundle.files, index: bundle.index });
      }

      stats.platforms++;
      stats.tenants += m.tenants.length;
      stats.apps += ref.apps.length;
      if (ref.tenants.some(t => t.depth === 6)) stats.deep++;
      if (JSON.stringify(order) !== JSON.stringify(canonicalOrder(m))) stats.reordered++;
    }));
    // The generator really explores: deep trees, apps, other orders.
    expect(stats.platforms).toBeGreaterThanOrEqual(NUM_RUNS);
    if (NUM_RUNS >= 1000) {
      expect(stats.deep).toBeGreaterThan(0);
      expect(stats.reordered).toBeGreaterThan(NUM_RUNS / 2);
      expect(stats.tenants / stats.platforms).toBeGreaterThan(3);
    }
  });

  test('the generator explores deep trees, apps and other declaration orders (1,000 sampled models, whatever FC_NUM_RUNS)', () => {
    // The same statistics as above, on the models alone (no synthesis), so that they hold with few runs too.
    const models = fc.sample(platformArb(), { seed: SEED, numRuns: 1000 });
    const refs = models.map(referenceTopology);
    expect(refs.filter(r => r.tenants.some(t => t.depth === 6)).length).toBeGreaterThan(0);
    expect(refs.filter(r => r.apps.length > 0).length).toBeGreaterThan(0);
    expect(models.filter(m => JSON.stringify(shuffledOrder(m)) !== JSON.stringify(canonicalOrder(m))).length).toBeGreaterThan(500);
    expect(models.reduce((n, m) => n + m.tenants.length, 0) / models.length).toBeGreaterThan(3);
  });

  test('the failure report names the seed (a property that fails on purpose)', () => {
    const details = fc.check(fc.property(platformArb(), m => m.tenants.length < 3), { seed: SEED, numRuns: 100 });
    expect(details.failed).toBe(true);
    expect(fc.defaultReportMessage(details)).toContain(`seed: ${SEED}`);
    expect(describeModel(details.counterexample![0])).toMatch(/^3 tenants/);
  });
});

// ---------------------------------------------------------------------------
// The reference model itself, against Cozystack's own charts (SPEC's fixtures)
// ---------------------------------------------------------------------------

// The committed copy of ../shared/fixtures/inheritance.json (test/inheritance.test.ts shows it has not drifted).
const FIXTURES = path.join(__dirname, 'fixtures', 'inheritance.json');

/** A fixture case (tenants by path with Tenant specs) as a platform model. */
function fixtureModel(c: any): PlatformModel {
  const mods = (spec: any): ModuleModel[] => (['etcd', 'ingress', 'monitoring'] as const).filter(s => spec[s]).map(service => ({ service }));
  const index = new Map<string, number>();
  const tenants: TenantModel[] = c.tenants.map((t: any, i: number) => {
    const parts = t.path.split('/');
    index.set(t.path, i);
    return {
      index: i,
      name: parts[parts.length - 1],
      parent: parts.length === 1 ? -1 : index.get(parts.slice(0, -1).join('/'))!,
      inGroup: false,
      host: t.spec.host || undefined,
      seaweedfs: !!t.spec.seaweedfs,
      modules: mods(t.spec),
      apps: (c.clusters ?? []).filter((k: any) => k.tenant === t.path)
        .map((k: any) => ({ kind: 'Kubernetes', name: k.name, inGroup: false, props: k.spec?.host ? { host: k.spec.host } : {} })),
    };
  });
  return {
    rootHost: c.rootHost,
    rootSeaweedfs: (c.rootModules ?? []).includes('seaweedfs'),
    rootModules: (c.rootModules ?? []).filter((s: string) => s !== 'seaweedfs').map((service: any) => ({ service })),
    rootApps: [],
    tenants,
    orderSeed: 0,
  };
}

describe('the reference model agrees with Cozystack v1.6.2 charts (SPEC fixtures)', () => {
  const cases: any[] = JSON.parse(fs.readFileSync(FIXTURES, 'utf8')).cases;
  test('the fixture has cases', () => expect(cases.length).toBeGreaterThan(0));
  test.each(cases.map(c => [c.name, c]))('%s', (_name, c) => {
    const m = fixtureModel(c);
    const ref = referenceTopology(m);
    for (const [p, want] of Object.entries<any>(c.expected.tenants)) {
      const t = ref.tenants.find(x => x.path === `platform/${p}`)!;
      expect({ namespace: t.namespace, parentNamespace: t.parentNamespace, host: t.host, ...t.services }).toEqual(want);
    }
    for (const want of c.expected.clusters ?? []) {
      const a = ref.apps.find(x => x.path === `platform/${want.tenant}/${want.name}`)!;
      expect({ tenant: want.tenant, name: a.name, namespace: a.namespace, host: a.host, etcd: a.services.etcd, ingress: a.services.ingress })
        .toEqual(want);
    }
    // And the library, built from the same model, publishes the same topology.
    const { root } = buildPlatform(m);
    checkReference(root.synthBundle().topology, ref);
  });
});
