/**
 * The registry of kinds: Cozystack's kinds described once, read from the
 * ApplicationDefinitions' data, and the only place that spells a Cozystack name pattern.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ClusterService } from '../src';
import { CLUSTER_SERVICES, deriveNames, KindRegistry, REGISTRY } from '../src/domain/registry';

const SRC = path.join(__dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Source without comments, so that documentation may name what the code must not spell. */
function code(file: string): string {
  return fs.readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

test('the registry has every kind of the v1.6.2 ApplicationDefinitions, with their data', () => {
  const defs = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'charts', 'v1.6.2', 'definitions.json'), 'utf8')).definitions;
  expect(REGISTRY.all().map(k => k.kind).sort()).toEqual(defs.map((d: any) => d.kind).sort());
  expect(defs).toHaveLength(30);
  for (const d of defs) {
    const k = REGISTRY.get(d.kind);
    expect([k.plural, k.chart, k.releasePrefix]).toEqual([d.plural, d.chart, d.releasePrefix]);
  }
  expect(REGISTRY.moduleOf(ClusterService.ETCD).kind).toBe('Etcd');
  expect(CLUSTER_SERVICES).toEqual(['etcd', 'ingress', 'monitoring', 'seaweedfs']);
});

test('derived names: releases, credential Secrets with their keys, endpoints', () => {
  const pg = deriveNames(REGISTRY.get('Postgres'), 'db1', 'tenant-foo', 'postgres-db1.foo.example.org', ['app', 'ro']);
  expect(pg.release).toBe('postgres-db1');
  expect(pg.credentials).toEqual([{ id: 'credentials', secret: 'postgres-db1-credentials', keys: ['app', 'ro'], description: expect.any(String) }]);
  expect(pg.endpoints.map(e => e.name)).toContain('postgres-db1-rw');
  expect(deriveNames(REGISTRY.get('Etcd'), 'etcd', 'tenant-foo', undefined).release).toBe('etcd');
  expect(deriveNames(REGISTRY.get('Redis'), 'cache', 'tenant-foo', undefined).credentials[0].secret).toBe('redis-cache-auth');
});

test('derived names carry the id of their template; the Secrets of a per-user template share it', () => {
  const b = deriveNames(REGISTRY.get('Bucket'), 'files', 'tenant-foo', undefined, ['app', 'ro']);
  expect(b.credentials.map(c => [c.id, c.secret])).toEqual([
    ['user-credentials', 'bucket-files-app-credentials'],
    ['user-credentials', 'bucket-files-ro-credentials'],
  ]);
  const pg = deriveNames(REGISTRY.get('Postgres'), 'db1', 'tenant-foo', 'postgres-db1.foo.example.org', ['app']);
  expect(pg.endpoints.filter(e => e.kind !== 'host').map(e => [e.id, e.name])).toEqual(expect.arrayContaining([['rw', 'postgres-db1-rw'], ['ro', 'postgres-db1-ro']]));
  expect(pg.endpoints.find(e => e.kind === 'host')).toMatchObject({ id: 'host', name: 'postgres-db1.foo.example.org' });
});

test('an unknown kind is refused naming the kinds there are', () => {
  expect(() => REGISTRY.get('Postgress')).toThrow(/Unknown Cozystack kind "Postgress".*Postgres/);
});

test('a copy of the registry with one more kind leaves the original alone', () => {
  const extra = { ...REGISTRY.get('Redis'), kind: 'Valkey', plural: 'valkeys', chart: 'redis', releasePrefix: 'valkey-' };
  const copy: KindRegistry = REGISTRY.with(extra);
  expect(copy.get('Valkey').releasePrefix).toBe('valkey-');
  expect(REGISTRY.tryGet('Valkey')).toBeUndefined();
});

/**
 * Cozystack name patterns that only the registry may spell. Each regular expression is a
 * way code builds such a name; finding one outside the registry means a second place
 * knows a fact that the registry already holds.
 */
function namePatterns(): Array<{ what: string; re: RegExp }> {
  const prefixes = [...new Set(REGISTRY.all().map(k => k.releasePrefix).filter(p => p))];
  return [
    ...prefixes.map(p => ({ what: `release prefix ${p}`, re: new RegExp(`(^|[^a-z0-9-])${p.replace(/[-]/g, '\\-')}\\$\\{`) })),
    { what: 'a credential Secret suffix', re: /\$\{[^}]+\}-(admin-kubeconfig|credentials|auth|apikey|default-user)\b/ },
    { what: 'the root namespace', re: /['`]tenant-root['`]/ },
    { what: 'a tenant namespace prefix', re: /['`]tenant-\$\{/ },
    { what: 'the list of cluster services', re: /\[\s*'etcd',\s*'ingress',\s*'monitoring'/ },
    { what: 'the API group', re: /['`]apps\.cozystack\.io\/v1alpha1['`]/ },
  ];
}

test('no file but the registry spells a Cozystack name pattern', () => {
  const registry = path.join(SRC, 'domain', 'registry.ts');
  const found: string[] = [];
  for (const file of sourceFiles(SRC)) {
    if (file === registry || file.includes(`${path.sep}generated${path.sep}`)) continue;
    const text = code(file);
    for (const { what, re } of namePatterns()) {
      const m = re.exec(text);
      if (m) found.push(`${path.relative(SRC, file)}: ${what} (${m[0]})`);
    }
  }
  expect(found).toEqual([]);
});

test('the pattern check finds a planted name pattern', () => {
  const planted = "const secret = `kubernetes-${name}-admin-kubeconfig`;\nconst ns = 'tenant-root';";
  const hits = namePatterns().filter(({ re }) => re.test(planted)).map(p => p.what);
  expect(hits).toEqual(expect.arrayContaining(['release prefix kubernetes-', 'a credential Secret suffix', 'the root namespace']));
});
