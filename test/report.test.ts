/**
 * The topology report of issue 6: topology.md and the Mermaid text of the example
 * platform line by line, the SVG parsed as XML and checked against topology.json,
 * collapsing at 200 tenants, and `explain` on the example's apps and tenants.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { Command, CommanderError } from 'commander';
// fast-xml-parser is a devDependency to add in .projenrc.ts (devDeps); installed with --no-save until then.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { buildWidePlatform } from '../bench/report-bench';
import { buildPlatform } from '../examples/platform';
import { RootTenant, Tenant } from '../src';
import { explain, registerExplainCommand } from '../src/cli/explain';
import {
  ExplainError, renderTopologyMarkdown, renderTopologyMermaid, renderTopologySvg, renderTopologyTree, Topology,
} from '../src/report';
import { readTopologyFile, writeTopologyFile } from './support/topology';

/** Synthesizes the example platform into a fresh folder: the bundle folder and its topology. */
function synthExample(): { dir: string; topology: Topology } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cozy-report-'));
  const app = new App({ outdir: dir });
  buildPlatform(app);
  app.synth();
  return { dir, topology: readTopologyFile(dir) };
}

const example = synthExample();
afterAll(() => fs.rmSync(example.dir, { recursive: true, force: true }));

/** Synthesizes the report benchmark's wide platform and returns its topology. */
function synthWidePlatform(tenants: number): Topology {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cozy-report-'));
  try {
    const app = new App({ outdir: dir });
    buildWidePlatform(app, tenants);
    app.synth();
    return readTopologyFile(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A deep copy of the example's topology, to edit. */
function exampleCopy(): any {
  return JSON.parse(JSON.stringify(example.topology));
}

/** Compares line by line, so a failure names the first line that differs. */
function expectLines(actual: string, expected: string[]): void {
  const lines = actual.replace(/\n$/, '').split('\n');
  for (let i = 0; i < Math.max(lines.length, expected.length); i++) {
    expect(`${i + 1}: ${lines[i]}`).toBe(`${i + 1}: ${expected[i]}`);
  }
  expect(actual.endsWith('\n')).toBe(true);
}

// ---------------------------------------------------------------------------------------------
// SVG as XML

interface El {
  readonly tag: string;
  readonly attrs: Record<string, string>;
  readonly children: El[];
  /** All text below this element, joined by spaces. */
  readonly text: string;
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', preserveOrder: true, parseAttributeValue: false, trimValues: false });

function toEls(nodes: any[]): El[] {
  const out: El[] = [];
  for (const n of nodes) {
    const tag = Object.keys(n).find(k => k !== ':@')!;
    if (tag === '#text' || tag === '?xml') continue;
    const children = toEls(n[tag]);
    const own = (n[tag] as any[]).filter(c => '#text' in c).map(c => String(c['#text']));
    out.push({ tag, attrs: n[':@'] ?? {}, children, text: [...own, ...children.map(c => c.text)].filter(s => s.trim()).join(' ') });
  }
  return out;
}

function parseSvg(svg: string): El {
  expect(XMLValidator.validate(svg)).toBe(true);
  const roots = toEls(parser.parse(svg));
  expect(roots.map(r => r.tag)).toEqual(['svg']);
  expect(roots[0].attrs.xmlns).toBe('http://www.w3.org/2000/svg');
  return roots[0];
}

function all(el: El, pred: (e: El) => boolean, out: El[] = []): El[] {
  if (pred(el)) out.push(el);
  for (const c of el.children) all(c, pred, out);
  return out;
}

const byClass = (root: El, cls: string) => all(root, e => (e.attrs.class ?? '').split(' ').includes(cls));

/** `from|service|to` of every arrow an app of the topology must have. */
function expectedArrows(topology: Topology, apps = topology.apps): string[] {
  // An app has an arrow for each service it uses (Postgres uses no etcd).
  return apps.flatMap(a => ['etcd', 'ingress', 'monitoring'].filter(s => s in a.services).map(s => `${a.path}|${s}|${a.services[s]}`)).sort();
}

function arrowsOf(root: El): string[] {
  return byClass(root, 'arrow').map(a => `${a.attrs['data-from']}|${a.attrs['data-service']}|${a.attrs['data-to']}`).sort();
}

// ---------------------------------------------------------------------------------------------
// topology.md

test('topology.md of the example platform, line by line', () => {
  expectLines(renderTopologyMarkdown(example.topology), [
    '# Platform topology · `platform`',
    '',
    'Cozystack v1.6 · 4 tenants · 3 apps · root `tenant-root` at `example.org`.',
    '',
    'What Cozystack will compute once this bundle is applied: namespaces, hosts, the tenant that provides each service, and who may manage what (SPEC.md §3).',
    '',
    '## Tree',
    '',
    '```text',
    'root  tenant-root  example.org  runs: etcd, ingress, monitoring',
    '├─ foo  tenant-foo  foo.example.org',
    '│  └─ Kubernetes cluster1  kubernetes-cluster1.foo.example.org',
    '└─ u1  tenant-u1  u1.example.org  runs: etcd, ingress, monitoring',
    '   └─ u2  tenant-u1-u2  u2.u1.example.org',
    '      ├─ Kubernetes cluster1  kubernetes-cluster1.u2.u1.example.org',
    '      └─ Postgres db1  postgres-db1.u2.u1.example.org',
    '```',
    '',
    '## Roles',
    '',
    'Every tenant namespace binds the groups of the tenant itself and of each of its ancestors, `<namespace>-view`, `-use`, `-admin` and `-super-admin`; ancestors reach all their descendants, never their siblings.',
    '',
    '| Role | May |',
    '| --- | --- |',
    '| `view` | read the apps and tenants of the Cozystack API and read logs |',
    '| `use` | everything view may, plus console and VNC access to virtual machines |',
    '| `admin` | everything use may, plus delete pods and create, change and delete apps (not tenants, etcds, ingresses or monitorings) |',
    '| `super-admin` | everything admin may, plus create, change and delete tenants, etcds, ingresses and monitorings (all of apps.cozystack.io) |',
    '',
    '## Tenants',
    '',
    '### root · `platform`',
    '',
    'Namespace `tenant-root` · host `example.org` · the root tenant · depth 0 · subtree: 4 tenants, 3 apps.',
    '',
    '**Own modules:** `etcd`, `ingress`, `monitoring`.',
    '',
    '| Service | Provider |',
    '| --- | --- |',
    '| etcd | **own** |',
    '| ingress | **own** |',
    '| monitoring | **own** |',
    '| seaweedfs | none: root is the named provider but does not run it |',
    '',
    '**Managed by** (groups bound in `tenant-root`, each as its role allows):',
    '',
    '| Tenant | Groups |',
    '| --- | --- |',
    '| root itself | `tenant-root-{view,use,admin,super-admin}` |',
    '',
    'The Tenant object `root` lives in `tenant-root` itself; the platform creates it and protects it from deletion.',
    '',
    '**Apps:** none.',
    '',
    '### foo · `platform/foo`',
    '',
    'Namespace `tenant-foo` · host `foo.example.org` · parent root (`tenant-root`) · depth 1.',
    '',
    '**Own modules:** none.',
    '',
    '| Service | Provider |',
    '| --- | --- |',
    '| etcd | inherited from root (`tenant-root`) |',
    '| ingress | inherited from root (`tenant-root`) |',
    '| monitoring | inherited from root (`tenant-root`) |',
    '| seaweedfs | none: inherited from root (`tenant-root`), which does not run it |',
    '',
    '**Managed by** (groups bound in `tenant-foo`, each as its role allows):',
    '',
    '| Tenant | Groups |',
    '| --- | --- |',
    '| root (`tenant-root`) | `tenant-root-{view,use,admin,super-admin}` |',
    '| foo itself | `tenant-foo-{view,use,admin,super-admin}` |',
    '',
    'The Tenant object `foo` lives in `tenant-root`: only `tenant-root-super-admin` may change or delete it, and deleting it deletes the whole subtree with its data.',
    '',
    '**Apps:**',
    '',
    '| App | Endpoint | etcd | ingress | monitoring | Secret |',
    '| --- | --- | --- | --- | --- | --- |',
    '| Kubernetes `cluster1` | `kubernetes-cluster1.foo.example.org` (public host)<br>`kubernetes-cluster1\\|cluster1-ingress-nginx.tenant-foo.svc` (in cluster) | root (inherited) | root (inherited) | root (inherited) | `kubernetes-cluster1-admin-kubeconfig` key `super-admin.conf` |',
    '',
    '### u1 · `platform/u1`',
    '',
    'Namespace `tenant-u1` · host `u1.example.org` · parent root (`tenant-root`) · depth 1 · subtree: 2 tenants, 2 apps.',
    '',
    '**Own modules:** `etcd`, `ingress`, `monitoring`.',
    '',
    '| Service | Provider |',
    '| --- | --- |',
    '| etcd | **own** |',
    '| ingress | **own** |',
    '| monitoring | **own** |',
    '| seaweedfs | none: inherited from root (`tenant-root`), which does not run it |',
    '',
    '**Managed by** (groups bound in `tenant-u1`, each as its role allows):',
    '',
    '| Tenant | Groups |',
    '| --- | --- |',
    '| root (`tenant-root`) | `tenant-root-{view,use,admin,super-admin}` |',
    '| u1 itself | `tenant-u1-{view,use,admin,super-admin}` |',
    '',
    'The Tenant object `u1` lives in `tenant-root`: only `tenant-root-super-admin` may change or delete it, and deleting it deletes the whole subtree with its data.',
    '',
    '**Apps:** none.',
    '',
    '### u2 · `platform/u1/u2`',
    '',
    'Namespace `tenant-u1-u2` · host `u2.u1.example.org` · parent u1 (`tenant-u1`) · depth 2.',
    '',
    '**Own modules:** none.',
    '',
    '| Service | Provider |',
    '| --- | --- |',
    '| etcd | inherited from u1 (`tenant-u1`) |',
    '| ingress | inherited from u1 (`tenant-u1`) |',
    '| monitoring | inherited from u1 (`tenant-u1`) |',
    '| seaweedfs | none: inherited from root (`tenant-root`), which does not run it |',
    '',
    '**Managed by** (groups bound in `tenant-u1-u2`, each as its role allows):',
    '',
    '| Tenant | Groups |',
    '| --- | --- |',
    '| root (`tenant-root`) | `tenant-root-{view,use,admin,super-admin}` |',
    '| u1 (`tenant-u1`) | `tenant-u1-{view,use,admin,super-admin}` |',
    '| u2 itself | `tenant-u1-u2-{view,use,admin,super-admin}` |',
    '',
    'The Tenant object `u2` lives in `tenant-u1`: only `tenant-root-super-admin` and `tenant-u1-super-admin` may change or delete it, and deleting it deletes the whole subtree with its data.',
    '',
    '**Apps:**',
    '',
    '| App | Endpoint | etcd | ingress | monitoring | Secret |',
    '| --- | --- | --- | --- | --- | --- |',
    '| Kubernetes `cluster1` | `kubernetes-cluster1.u2.u1.example.org` (public host)<br>`kubernetes-cluster1\\|cluster1-ingress-nginx.tenant-u1-u2.svc` (in cluster) | u1 (inherited) | u1 (inherited) | u1 (inherited) | `kubernetes-cluster1-admin-kubeconfig` key `super-admin.conf` |',
    '| Postgres `db1` | `postgres-db1.u2.u1.example.org` (public host)<br>`postgres-db1-r\\|ro\\|rw\\|external-write.tenant-u1-u2.svc` (in cluster) | – | – | u1 (inherited) | `postgres-db1-credentials` key `app` |',
  ]);
});

test('the tree that topology.md embeds is printable on its own', () => {
  expectLines(renderTopologyTree(example.topology), [
    'root  tenant-root  example.org  runs: etcd, ingress, monitoring',
    '├─ foo  tenant-foo  foo.example.org',
    '│  └─ Kubernetes cluster1  kubernetes-cluster1.foo.example.org',
    '└─ u1  tenant-u1  u1.example.org  runs: etcd, ingress, monitoring',
    '   └─ u2  tenant-u1-u2  u2.u1.example.org',
    '      ├─ Kubernetes cluster1  kubernetes-cluster1.u2.u1.example.org',
    '      └─ Postgres db1  postgres-db1.u2.u1.example.org',
  ]);
});

// ---------------------------------------------------------------------------------------------
// Mermaid

test('Mermaid text of the example platform, line by line', () => {
  expectLines(renderTopologyMermaid(example.topology), [
    'flowchart LR',
    '  %% cdk8s-cozystack topology for Cozystack v1.6: 4 tenants, 3 apps',
    "  %% solid arrow: service of the app's own tenant; dotted arrow: inherited from an ancestor",
    '  classDef tenant fill:#f6f8fa,stroke:#8c959f,color:#1f2328',
    '  classDef app fill:#ffffff,stroke:#57606a,color:#1f2328',
    '  classDef services fill:#ddf4ff,stroke:#0969da,color:#0a3069',
    '  classDef missing fill:#ffebe9,stroke:#cf222e,color:#82071e,stroke-dasharray:4 3',
    '  classDef collapsed fill:#ffffff,stroke:#8c959f,color:#57606a,stroke-dasharray:4 3',
    '  subgraph t_tenant_root["root · tenant-root · example.org"]',
    '    direction LR',
    '    s_tenant_root{{"runs etcd, ingress, monitoring"}}',
    '    subgraph t_tenant_foo["foo · tenant-foo · foo.example.org"]',
    '      direction LR',
    '      a_tenant_foo__Kubernetes__cluster1["Kubernetes cluster1<br/>kubernetes-cluster1.foo.example.org"]',
    '    end',
    '    subgraph t_tenant_u1["u1 · tenant-u1 · u1.example.org"]',
    '      direction LR',
    '      s_tenant_u1{{"runs etcd, ingress, monitoring"}}',
    '      subgraph t_tenant_u1_u2["u2 · tenant-u1-u2 · u2.u1.example.org"]',
    '        direction LR',
    '        a_tenant_u1_u2__Kubernetes__cluster1["Kubernetes cluster1<br/>kubernetes-cluster1.u2.u1.example.org"]',
    '        a_tenant_u1_u2__Postgres__db1["Postgres db1<br/>postgres-db1.u2.u1.example.org"]',
    '      end',
    '    end',
    '  end',
    '  a_tenant_foo__Kubernetes__cluster1 -.->|"etcd, ingress, monitoring (inherited)"| s_tenant_root',
    '  a_tenant_u1_u2__Kubernetes__cluster1 -.->|"etcd, ingress, monitoring (inherited)"| s_tenant_u1',
    '  a_tenant_u1_u2__Postgres__db1 -.->|"monitoring (inherited)"| s_tenant_u1',
    '  class t_tenant_root,t_tenant_foo,t_tenant_u1,t_tenant_u1_u2 tenant',
    '  class a_tenant_foo__Kubernetes__cluster1,a_tenant_u1_u2__Kubernetes__cluster1,a_tenant_u1_u2__Postgres__db1 app',
    '  class s_tenant_root,s_tenant_u1 services',
  ]);
});

test('Mermaid tells own from inherited services and marks providers that run nothing', () => {
  const t = exampleCopy();
  // Hand-edited, so not what the library would compute: u1 is still named etcd provider but no longer runs etcd.
  t.tenants.find((x: any) => x.namespace === 'tenant-u1').modules = ['ingress', 'monitoring'];
  // An app in u1 itself uses its own tenant's services.
  t.apps.push({
    kind: 'Postgres',
    name: 'own',
    path: 'platform/u1/own',
    namespace: 'tenant-u1',
    host: 'postgres-own.u1.example.org',
    services: { etcd: 'tenant-u1', ingress: 'tenant-u1', monitoring: 'tenant-u1' },
  });
  const lines = renderTopologyMermaid(t).split('\n');
  expect(lines).toContain('      s_tenant_u1{{"runs ingress, monitoring · ⚠ no etcd"}}');
  expect(lines).toContain('  a_tenant_u1__Postgres__own -->|"etcd, ingress, monitoring (own)"| s_tenant_u1');
  expect(lines).toContain('  a_tenant_u1_u2__Postgres__db1 -.->|"monitoring (inherited)"| s_tenant_u1');
  expect(lines).toContain('  class s_tenant_root services');
  expect(lines).toContain('  class s_tenant_u1 missing');
});

// ---------------------------------------------------------------------------------------------
// SVG

describe('SVG of the example platform', () => {
  const svg = renderTopologySvg(example.topology);
  const root = parseSvg(svg);

  test('has a size and names every tenant (name, namespace, host) and every app (kind, name, endpoint)', () => {
    expect(Number(root.attrs.width)).toBeGreaterThan(600);
    expect(Number(root.attrs.height)).toBeGreaterThan(300);
    const tenants = byClass(root, 'tenant');
    expect(tenants.map(t => t.attrs['data-namespace']).sort()).toEqual(example.topology.tenants.map(t => t.namespace).sort());
    for (const t of example.topology.tenants) {
      const g = tenants.find(x => x.attrs['data-namespace'] === t.namespace)!;
      expect(g.attrs['data-path']).toBe(t.path);
      for (const s of [t.name, t.namespace, t.host]) expect(g.text).toContain(s);
    }
    const apps = byClass(root, 'app');
    expect(apps.map(a => a.attrs['data-path']).sort()).toEqual(example.topology.apps.map(a => a.path).sort());
    for (const a of example.topology.apps) {
      const g = apps.find(x => x.attrs['data-path'] === a.path)!;
      for (const s of [a.kind, a.name, a.host!]) expect(g.text).toContain(s);
    }
  });

  test('its arrows are exactly the providers of topology.json, each ending on its provider\'s badge', () => {
    expect(arrowsOf(root)).toEqual(expectedArrows(example.topology));
    const badges = byClass(root, 'badge').filter(b => b.tag === 'g');
    for (const arrow of byClass(root, 'arrow')) {
      const app = example.topology.apps.find(a => a.path === arrow.attrs['data-from'])!;
      expect(arrow.attrs['data-own']).toBe(String(arrow.attrs['data-to'] === app.namespace));
      expect(arrow.attrs['data-running']).toBe('true');
      // The path ends at the bottom centre of the provider's badge for that service.
      const badge = badges.find(b => b.attrs['data-tenant'] === arrow.attrs['data-to'] && b.attrs['data-service'] === arrow.attrs['data-service'])!;
      const rect = badge.children.find(c => c.tag === 'rect')!;
      const m = /H(-?[\d.]+) V(-?[\d.]+)$/.exec(arrow.attrs.d)!;
      expect(Number(m[1])).toBeCloseTo(Number(rect.attrs.x) + Number(rect.attrs.width) / 2, 0);
      expect(Number(m[2])).toBeCloseTo(Number(rect.attrs.y) + Number(rect.attrs.height) + 1, 0);
      // It leaves its app's box on the left edge.
      const appRect = byClass(root, 'app').find(g => g.attrs['data-path'] === app.path)!.children.find(c => c.tag === 'rect')!;
      const start = /^M(-?[\d.]+) (-?[\d.]+)/.exec(arrow.attrs.d)!;
      expect(Number(start[1])).toBe(Number(appRect.attrs.x));
      expect(Number(start[2])).toBeGreaterThan(Number(appRect.attrs.y));
      expect(Number(start[2])).toBeLessThan(Number(appRect.attrs.y) + Number(appRect.attrs.height));
    }
  });

  test('badges: filled for own services, outlined naming the provider for inherited ones, dashed for none', () => {
    const badges = byClass(root, 'badge').filter(b => b.tag === 'g');
    const badge = (ns: string, s: string) => badges.find(b => b.attrs['data-tenant'] === ns && b.attrs['data-service'] === s)!;
    const fill = (b: El) => b.children.find(c => c.tag === 'rect')!.attrs.fill;
    expect(badge('tenant-u1', 'etcd').attrs).toMatchObject({ 'data-own': 'true', 'data-running': 'true', 'data-provider': 'tenant-u1' });
    expect(fill(badge('tenant-u1', 'etcd'))).not.toBe('#ffffff');
    expect(badge('tenant-u1-u2', 'etcd').attrs).toMatchObject({ 'data-own': 'false', 'data-running': 'true', 'data-provider': 'tenant-u1' });
    expect(fill(badge('tenant-u1-u2', 'etcd'))).toBe('#ffffff');
    expect(badge('tenant-u1-u2', 'etcd').text).toContain('etcd ← tenant-u1');
    expect(badge('tenant-root', 'seaweedfs').attrs).toMatchObject({ 'data-own': 'true', 'data-running': 'false' });
    expect(badge('tenant-root', 'seaweedfs').children.find(c => c.tag === 'rect')!.attrs['stroke-dasharray']).toBeDefined();
    expect(badges).toHaveLength(4 * example.topology.tenants.length);
  });

  test('docs/topology.svg is the picture of the example platform (scripts/screenshot.sh regenerates it)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', 'docs', 'topology.svg'), 'utf8');
    if (committed !== svg) throw new Error('docs/topology.svg is stale: run scripts/screenshot.sh and commit docs/topology.{svg,png}.');
  });
});

test('SVG escapes every text for XML', () => {
  const t = exampleCopy();
  const u2 = t.tenants.find((x: any) => x.namespace === 'tenant-u1-u2');
  u2.host = 'a<b>&"c\'.example.org';
  t.apps[2].name = 'db1&<x>';
  t.apps[2].path = 'platform/u1/u2/db1&<x>';
  const root = parseSvg(renderTopologySvg(t, { title: 'T & <T>' }));
  expect(byClass(root, 'tenant').find(g => g.attrs['data-namespace'] === 'tenant-u1-u2')!.text).toContain('a<b>&"c\'.example.org');
  expect(byClass(root, 'app').map(g => g.attrs['data-path'])).toContain('platform/u1/u2/db1&<x>');
  expect(root.children.find(c => c.tag === 'title')!.text).toContain('T & <T>');
  expect(renderTopologyMermaid(t)).toContain('a#lt;b#gt;&#quot;c\'.example.org');
  expect(renderTopologyMarkdown(t)).toContain('`a<b>&"c\'.example.org`');
});

test('an app whose provider runs no such service gets a dashed red arrow and a warning', () => {
  const t = exampleCopy();
  t.tenants[0].modules = ['ingress', 'monitoring'];
  const root = parseSvg(renderTopologySvg(t));
  const arrow = byClass(root, 'arrow').find(a => a.attrs['data-from'] === 'platform/foo/cluster1' && a.attrs['data-service'] === 'etcd')!;
  expect(arrow.attrs).toMatchObject({ 'data-to': 'tenant-root', 'data-running': 'false', 'stroke-dasharray': '5 3' });
  const md = renderTopologyMarkdown(t).split('\n');
  expect(md).toContain('## ⚠ Warnings');
  expect(md).toContain('- Kubernetes `platform/foo/cluster1`: etcd provider root (`tenant-root`) does not run etcd; '
    + 'its control plane has no datastore and would wait forever.');
  expect(md).toContain('| etcd | none: root is the named provider but does not run it |');
});

test('renderers are deterministic: the order of topology.json does not matter', () => {
  const shuffled = exampleCopy();
  shuffled.tenants.reverse();
  shuffled.apps.reverse();
  expect(renderTopologyMarkdown(shuffled)).toBe(renderTopologyMarkdown(example.topology));
  expect(renderTopologyMermaid(shuffled)).toBe(renderTopologyMermaid(example.topology));
  expect(renderTopologySvg(shuffled)).toBe(renderTopologySvg(example.topology));
});

// ---------------------------------------------------------------------------------------------
// Quotas (a field another change adds to topology.json)

test('topology.md shows a tenant quota when topology.json has one', () => {
  const t = exampleCopy();
  const byNs = (ns: string) => t.tenants.find((x: any) => x.namespace === ns);
  byNs('tenant-u1').quota = {
    declared: { 'cpu': '8', 'memory': '16Gi', 'services.loadbalancers': 2 },
    effective: {
      'cpu': { amount: '8', pool: 'tenant-u1', shared: false },
      'memory': { amount: '16Gi', pool: 'tenant-u1', shared: false },
      'services.loadbalancers': { amount: 2, pool: 'tenant-u1', shared: false },
    },
    remaining: { 'cpu': '6', 'memory': '12Gi', 'services.loadbalancers': 2 },
  };
  byNs('tenant-u1-u2').quota = {
    declared: {},
    effective: { cpu: { amount: '8', pool: 'tenant-u1', shared: true } },
    remaining: { cpu: '6' },
  };
  byNs('tenant-foo').quota = null;
  const md = renderTopologyMarkdown(t);
  const section = (name: string) => md.split('\n### ').find(s => s.startsWith(name))!.split('\n');
  const u1 = section('u1 ·');
  const at = u1.indexOf('**Quota** (the budget of the whole subtree):');
  expect(u1.slice(at, at + 7)).toEqual([
    '**Quota** (the budget of the whole subtree):',
    '',
    '| Resource | Declared | Effective | Pool | Remaining |',
    '| --- | --- | --- | --- | --- |',
    '| `cpu` | `8` | `8` | own | `6` |',
    '| `memory` | `16Gi` | `16Gi` | own | `12Gi` |',
    '| `services.loadbalancers` | `2` | `2` | own | `2` |',
  ]);
  expect(section('u2 ·')).toContain('| `cpu` | – | `8` (shared) | u1 (`tenant-u1`) | `6` |');
  expect(section('foo ·')).toContain('**Quota:** none; no limit applies to this subtree.');
  // Without the field (the example as synthesized today) there is no quota line at all.
  expect(renderTopologyMarkdown(example.topology)).not.toContain('Quota');
  expect(explain(writeBundle(t), 'tenant-u1-u2')).toContain('  cpu: declared -, effective 8 (shared) from pool tenant-u1, remaining 6');
});

test('topology.md shows the quotas the library computes (declared, carved, shared)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cozy-report-'));
  const app = new App({ outdir: dir });
  const root = new RootTenant(app, 'platform', { host: 'example.org' });
  const a = new Tenant(root, 'a', { resourceQuotas: { cpu: '8', memory: '16Gi' } });
  new Tenant(a, 'b', { resourceQuotas: { cpu: '2' } });
  new Tenant(a, 'c');
  app.synth();
  const md = renderTopologyMarkdown(readTopologyFile(dir));
  fs.rmSync(dir, { recursive: true, force: true });
  const section = (name: string) => md.split('\n### ').find(x => x.startsWith(name))!.split('\n');
  const quota = (name: string) => section(name).filter(l => l.startsWith('| `'));
  expect(quota('a ·')).toEqual([
    '| `cpu` | `8` | `8` | own | `6` |',
    '| `memory` | `16Gi` | `16Gi` | own | `16Gi` |',
  ]);
  // b declares cpu only: it roots a pool of its own, and a's memory does not bound it (Cozystack v1.6 pools are per tenant).
  expect(quota('b ·')).toEqual(['| `cpu` | `2` | `2` | own | `2` |']);
  expect(quota('c ·')).toEqual(['| `cpu` | – | `6` (shared) | a (`tenant-a`) | – |', '| `memory` | – | `16Gi` (shared) | a (`tenant-a`) | – |']);
  expect(section('root ·').join('\n')).not.toContain('Quota');
});

/** Writes a topology as a (minimal) bundle folder for `explain`. */
function writeBundle(topology: Topology): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cozy-report-'));
  writeTopologyFile(dir, topology);
  fs.writeFileSync(path.join(dir, 'index.json'), '{}');
  return dir;
}

// ---------------------------------------------------------------------------------------------
// 200 tenants

describe('a 200-tenant platform', () => {
  const topology = synthWidePlatform(200);
  const total = { tenants: topology.tenants.length, apps: topology.apps.length };

  test('is big enough to need collapsing', () => {
    expect(total.tenants).toBe(201);
    expect(Math.max(...topology.tenants.map(t => t.depth))).toBeGreaterThanOrEqual(3);
    expect(topology.apps.length).toBeGreaterThan(200);
  });

  test('SVG: the top of the tree drawn, the rest summarized as "+k tenants, m apps", nothing lost', () => {
    const root = parseSvg(renderTopologySvg(topology));
    const tenants = byClass(root, 'tenant');
    expect(tenants).toHaveLength(40);
    const collapsed = byClass(root, 'collapsed');
    expect(collapsed.length).toBeGreaterThan(0);
    const hiddenTenants = collapsed.reduce((n, c) => n + Number(c.attrs['data-count-tenants']), 0);
    const hiddenApps = [...collapsed, ...byClass(root, 'more-apps')].reduce((n, c) => n + Number(c.attrs['data-count-apps']), 0);
    expect(tenants.length + hiddenTenants).toBe(total.tenants);
    const apps = byClass(root, 'app');
    expect(apps.length + hiddenApps).toBe(total.apps);
    for (const c of collapsed) expect(c.text).toMatch(/^\+\d+ tenants?, \d+ apps? collapsed: /);
    // Every drawn app has its three arrows; nothing points at a tenant that is not drawn.
    const shown = topology.apps.filter(a => apps.some(g => g.attrs['data-path'] === a.path));
    expect(arrowsOf(root)).toEqual(expectedArrows(topology, shown));
    // Readable: a page a browser scrolls, not a wall.
    expect(Number(root.attrs.width)).toBeLessThan(1400);
    expect(Number(root.attrs.height)).toBeLessThan(8000);
  });

  test('SVG: focus draws one collapsed subtree inside the chain of its ancestors', () => {
    const deep = topology.tenants.filter(t => t.depth === 2)[0];
    const root = parseSvg(renderTopologySvg(topology, { focus: deep.namespace }));
    const drawn = byClass(root, 'tenant').map(g => g.attrs['data-namespace']);
    const subtree = topology.tenants.filter(t => t.namespace === deep.namespace || t.namespace.startsWith(`${deep.namespace}-`));
    expect(drawn).toEqual(expect.arrayContaining(['tenant-root', deep.parentNamespace!, ...subtree.map(t => t.namespace)]));
    expect(drawn).toHaveLength(2 + subtree.length);
    expect(() => renderTopologySvg(topology, { focus: 'tenant-nope' })).toThrow(/focus "tenant-nope" is not a tenant/);
  });

  test('SVG: with no limits every tenant and app is drawn, and every arrow matches topology.json', () => {
    const root = parseSvg(renderTopologySvg(topology, { maxTenants: Infinity, maxDepth: Infinity, maxAppsPerTenant: Infinity }));
    expect(byClass(root, 'tenant')).toHaveLength(total.tenants);
    expect(byClass(root, 'app')).toHaveLength(total.apps);
    expect(arrowsOf(root)).toEqual(expectedArrows(topology));
  });

  test('Mermaid stays within what GitHub renders (500 edges, 50,000 characters)', () => {
    const text = renderTopologyMermaid(topology);
    expect(text.length).toBeLessThan(50_000);
    expect(text.split('\n').filter(l => /-\.?->/.test(l)).length).toBeLessThan(500);
    expect(text).toMatch(/c_tenant_root\["\+\d+ tenants, \d+ apps<br\/>\(/);
  });

  test('topology.md has every tenant, or as many as asked with the rest summarized in the tree', () => {
    const md = renderTopologyMarkdown(topology);
    expect(md.split('\n').filter(l => l.startsWith('### '))).toHaveLength(total.tenants);
    const short = renderTopologyMarkdown(topology, { maxTenants: 10 });
    const lines = short.split('\n');
    expect(lines.filter(l => l.startsWith('### '))).toHaveLength(10);
    expect(lines).toContain(`${total.tenants - 10} more tenants not shown here; see \`topology.json\` or \`cdk8s-cozystack explain <namespace>\`.`);
    // The tree shows the root and 9 tenants below it, then what it left out, with counts that add up.
    const tree = lines.slice(lines.indexOf('```text') + 1, lines.indexOf('```', lines.indexOf('```text') + 1));
    const more = tree.filter(l => / not shown \(/.test(l));
    expect(tree.filter(l => / {2}tenant-t\d+(-t\d+)* {2}t\d+\./.test(l))).toHaveLength(9);
    expect(more[more.length - 1]).toMatch(/^└─ \+\d+ tenants, \d+ apps not shown \(t\d+, t\d+, t\d+, t\d+, t\d+, …\)$/);
    const hidden = more.reduce((n, l) => n + Number(/\+(\d+) tenants?/.exec(l)![1]), 0);
    expect(hidden).toBe(total.tenants - 10);
    expect(short.length).toBeLessThan(65_000);
  });
});

// ---------------------------------------------------------------------------------------------
// explain

describe('explain', () => {
  const dir = example.dir;

  // Endpoints, Secrets and their descriptions are what topology.json records (the registry of kinds computes them at synth).
  test('a Postgres: its own volumes, its services and TLS name, its metrics, its credentials, its managers', () => {
    const out = explain(dir, 'platform/u1/u2/db1');
    expect(out).toBe(explain(dir, 'tenant-u1-u2/db1'));
    expect(out).toBe(explain(dir, 'tenant-u1-u2/postgres-db1'));
    const lines = out.split('\n');
    expect(lines[0]).toBe('Postgres db1  (platform/u1/u2/db1)');
    expect(lines).toEqual(expect.arrayContaining([
      '  Its own volumes (PersistentVolumeClaims of postgres-db1) in namespace tenant-u1-u2; no etcd is involved.',
      '  postgres-db1-rw.tenant-u1-u2.svc  read-write (the primary), inside the cluster',
      '  postgres-db1-ro.tenant-u1-u2.svc  read-only (replicas), inside the cluster',
      '  postgres-db1-r.tenant-u1-u2.svc  any instance, inside the cluster',
      '  postgres-db1.u2.u1.example.org  public host',
      '  Sent to the monitoring of u1 (tenant-u1).',
      '  Secret postgres-db1-credentials in namespace tenant-u1-u2, key app (one password per user of the spec)',
      '  tenant-root-{view,use,admin,super-admin}  (ancestor root)',
      '  tenant-u1-{view,use,admin,super-admin}  (ancestor u1)',
      '  tenant-u1-u2-{view,use,admin,super-admin}  (u2 itself)',
    ]));
  });

  test('a Kubernetes cluster: its etcd provider, its API host and ingress, its kubeconfig Secret', () => {
    const lines = explain(dir, 'tenant-u1-u2/cluster1').split('\n');
    expect(lines).toEqual(expect.arrayContaining([
      'Kubernetes cluster1  (platform/u1/u2/cluster1)',
      '  State kept in the etcd of u1 (tenant-u1) (its etcd provider: tenant-u1).',
      '  kubernetes-cluster1.u2.u1.example.org  public host',
      '  through the ingress of u1 (tenant-u1) (ingress class: tenant-u1).',
      '  Sent to the monitoring of u1 (tenant-u1).',
    ]));
    expect(lines.some(l => l.startsWith('  Secret kubernetes-cluster1-admin-kubeconfig in namespace tenant-u1-u2, keys super-admin.conf'))).toBe(true);
    const foo = explain(dir, 'platform/foo/cluster1').split('\n');
    expect(foo).toContain('  State kept in the etcd of root (tenant-root) (its etcd provider: tenant-root).');
    expect(foo).toContain('  tenant-root-{view,use,admin,super-admin}  (ancestor root)');
    expect(foo.filter(l => l.includes('tenant-u1'))).toEqual([]);
  });

  test('a tenant, by namespace, by path or as its Tenant object', () => {
    const out = explain(dir, 'tenant-u1-u2');
    expect(out).toBe(explain(dir, 'platform/u1/u2'));
    expect(out).toBe(explain(dir, 'tenant-u1/u2'));
    const lines = out.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'Tenant u2  (platform/u1/u2)',
      '  Namespace: tenant-u1-u2  (Tenant object "u2" in tenant-u1)',
      '  Host:      u2.u1.example.org',
      '  Depth:     2; subtree 1 tenant, 2 apps',
      '  Modules:   none of its own',
      '',
    ]);
    expect(lines).toEqual(expect.arrayContaining([
      '  etcd       inherited from u1 (tenant-u1)',
      '  seaweedfs  inherited from root (tenant-root), which does NOT run seaweedfs',
      '  Kubernetes cluster1  kubernetes-cluster1.u2.u1.example.org  (explain platform/u1/u2/cluster1)',
      '  Postgres db1  postgres-db1.u2.u1.example.org  (explain platform/u1/u2/db1)',
      '  The Tenant object itself lives in tenant-u1: only tenant-root-super-admin, tenant-u1-super-admin may change or delete it; '
        + 'deleting it deletes the whole subtree with its data.',
    ]));
    const rootLines = explain(dir, 'tenant-root').split('\n');
    expect(rootLines[0]).toBe('Tenant root  (platform)');
    expect(rootLines).toContain('  etcd       own');
    expect(rootLines).toContain('  seaweedfs  none (named provider, not running)');
  });

  test('an unknown target is an error that lists close matches', () => {
    expect(() => explain(dir, 'tenant-u1-u3/db1')).toThrow(ExplainError);
    expect(() => explain(dir, 'tenant-u1-u3/db1')).toThrow(/No tenant or app "tenant-u1-u3\/db1" in this bundle\. Did you mean: tenant-u1-u2\/db1, /);
    expect(() => explain(dir, 'platform/u1/db1')).toThrow(/Did you mean: platform\/u1\/u2\/db1/);
    expect(() => explain(dir, 'zzz')).toThrow(/A target is a construct path/);
    // Two apps of one name in one namespace: namespace/name is ambiguous, the path is not.
    const t = exampleCopy();
    const cluster = t.apps.find((a: any) => a.kind === 'Kubernetes');
    t.apps.push({ ...cluster, namespace: 'tenant-u1-u2', name: 'db1', path: 'platform/u1/u2/db1x' });
    expect(() => explain(writeBundle(t), 'tenant-u1-u2/db1')).toThrow(/names 2 objects: platform\/u1\/u2\/db1 \(Postgres\), platform\/u1\/u2\/db1x/);
  });

  test('a folder that is not a whole bundle is an error that says what to do', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'cozy-report-'));
    expect(() => explain(empty, 'tenant-u1')).toThrow(/topology\.json does not exist: .* is not a synthesized bundle/);
    writeTopologyFile(empty, example.topology);
    expect(() => explain(empty, 'tenant-u1')).toThrow(/has no index\.json: the bundle is incomplete/);
  });

  test('registerExplainCommand adds `explain <target> [--bundle dist]` to a commander program', async () => {
    const program = new Command('cdk8s-cozystack').exitOverride();
    const errors: string[] = [];
    program.configureOutput({ writeErr: s => errors.push(s), writeOut: () => undefined });
    registerExplainCommand(program);
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((s: any) => {
      written.push(String(s));
      return true;
    });
    try {
      await program.parseAsync(['node', 'cdk8s-cozystack', 'explain', 'tenant-u1-u2/db1', '--bundle', dir]);
      expect(written.join('')).toBe(explain(dir, 'platform/u1/u2/db1'));
      await expect(program.parseAsync(['node', 'cdk8s-cozystack', 'explain', 'nope', '--bundle', dir])).rejects.toThrow(CommanderError);
      expect(errors.join('')).toContain('error: No tenant or app "nope" in this bundle.');
    } finally {
      spy.mockRestore();
    }
    const explainCmd = program.commands.find(c => c.name() === 'explain')!;
    expect(explainCmd.options.map(o => [o.long, o.defaultValue])).toEqual([['--bundle', 'dist']]);
  });
});
