/**
 * docs/chart-rules.md against the code: every rule id the page names exists in
 * src/domain/rules/, every rule of the code is on the page, every id has a test, and the
 * chart sites add up. Then one test per rule (tagged `// rule: <id>`), each with its
 * minimal input.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as plus from 'cdk8s-plus-28';
import { Bucket, EtcdService, IngressService, KubernetesCluster, KubernetesNodes, Postgres, RootTenant, SeaweedFSService, Tenant } from '../src';
import { synthProblems, tempApp } from './support/synth';
import { chartData, ChartName, helmMerge } from '../src/domain/charts';
import { maxNameLength, REGISTRY } from '../src/domain/registry';
import { chartProblems, RULES, RuleContext } from '../src/domain/rules/registry';

const DOC = path.join(__dirname, '..', 'docs', 'chart-rules.md');
const RULE_ID = /^[a-z0-9-]+\/[a-z0-9-]+$/;

/** The rows of every table of the page, as cells. */
function tableRows(markdown: string): string[][] {
  return markdown.split('\n')
    .filter(l => l.startsWith('| ') && !l.startsWith('|---'))
    .map(l => l.slice(1, -1).split(' | ').map(c => c.trim()));
}

/** The rule ids a markdown text names (`kind/what` in backticks). */
export function ruleIdsIn(markdown: string): string[] {
  return [...new Set([...markdown.matchAll(/`([a-z0-9-]+\/[a-z0-9-]+)`/g)].map(m => m[1]).filter(id => !id.includes('.')))];
}

/**
 * The rule ids no test covers: a test covers an id with a `// rule: <id>` tag or by
 * naming it in the title of a test or describe block.
 */
export function untestedRules(ids: readonly string[], sources: readonly string[]): string[] {
  const covered = new Set<string>();
  for (const src of sources) {
    for (const m of src.matchAll(/\/\/ rule: ([a-z0-9-]+\/[a-z0-9-]+)/g)) covered.add(m[1]);
    for (const m of src.matchAll(/\b(?:test|it|describe)(?:\.each\([\s\S]*?\))?\(\s*(['"`])([^'"`]*)\1/g)) {
      for (const id of m[2].match(/[a-z0-9-]+\/[a-z0-9-]+/g) ?? []) covered.add(id);
    }
  }
  return ids.filter(id => !covered.has(id));
}

function testSources(): string[] {
  return fs.readdirSync(__dirname).filter(f => f.endsWith('.test.ts')).map(f => fs.readFileSync(path.join(__dirname, f), 'utf8'));
}

describe('docs/chart-rules.md', () => {
  const doc = fs.readFileSync(DOC, 'utf8');
  const sites = tableRows(doc).filter(r => r.length === 5 && r[0] !== 'Chart');

  test('lists every fail/required site of the v1.6.2 templates, each with a rule or a reason', () => {
    // Counted in Cozystack v1.6.2 (git grep for fail and required in packages/{apps,extra}/*/templates
    // and packages/library/cozy-lib/templates): 179 sites in 25 charts (gateway included) and cozy-lib.
    const perChart: Record<string, number> = {};
    for (const [chart] of sites) perChart[chart] = (perChart[chart] ?? 0) + 1;
    expect(perChart).toEqual({
      'tenant': 2,
      'kubernetes': 42,
      'postgres': 7,
      'etcd': 1,
      'ingress': 6,
      'gateway': 6,
      'monitoring': 1,
      'seaweedfs': 24,
      'bootbox': 2,
      'clickhouse': 11,
      'external-dns': 1,
      'http-cache': 2,
      'kafka': 1,
      'kubernetes-nodes': 27,
      'mariadb': 7,
      'mongodb': 9,
      'nats': 2,
      'openbao': 1,
      'opensearch': 2,
      'rabbitmq': 2,
      'redis': 2,
      'tcp-balancer': 2,
      'vm-disk': 4,
      'vm-instance': 4,
      'vpn': 1,
      'cozy-lib': 10,
    });
    // The page's own summary says the same.
    const summary = /(\d+) sites, (\d+)\s+refused at synth by a rule of the library, (\d+) listed/.exec(doc.replace(/\n/g, ' '));
    expect(summary?.slice(1).map(Number)).toEqual([sites.length, sites.filter(r => r[3]).length, sites.filter(r => !r[3]).length]);
    expect(doc).toContain(`Sites per chart: ${Object.entries(perChart).map(([c, n]) => `${c} ${n}`).join(', ')}.`);
    const where = sites.map(([chart, at]) => `${chart} ${at}`);
    expect(new Set(where).size).toBe(where.length);
    for (const [chart, at, refuses, rule, reason] of sites) {
      expect({ chart, at, hasWhat: refuses.length > 0 }).toEqual({ chart, at, hasWhat: true });
      // Exactly one of: a rule id, or the reason it cannot be checked before apply.
      expect({ at, rule: rule !== '', reason: reason !== '' }).toEqual({ at, rule: rule !== '', reason: rule === '' });
      if (rule) expect(rule).toMatch(/^`[a-z0-9-]+\/[a-z0-9-]+`$/);
    }
  });

  test('every rule id it names exists in the code', () => {
    const missing = ruleIdsIn(doc).filter(id => !RULES.has(id));
    expect(missing).toEqual([]);
  });

  test('every rule of the code is on the page', () => {
    const named = new Set(ruleIdsIn(doc));
    expect([...RULES.keys()].filter(id => !named.has(id))).toEqual([]);
  });

  test('every rule id it names has a test', () => {
    expect(untestedRules(ruleIdsIn(doc), testSources())).toEqual([]);
  });

  test('the coverage check fails for a rule without a test, and sees tags and titles', () => {
    const planted = [
      "test('postgres/size refuses null', () => {});",
      '// rule: seaweedfs/topology',
      "test.each([[1]])('kubernetes/max-unhealthy %s', () => {});",
    ];
    expect(untestedRules(['postgres/size', 'seaweedfs/topology', 'kubernetes/max-unhealthy', 'nobody/tests-this'], planted))
      .toEqual(['nobody/tests-this']);
    expect(ruleIdsIn('| `a/b` | `spec.x` | `c-d/e-f` |')).toEqual(['a/b', 'c-d/e-f']);
  });

  test('the name limits it lists are the registry\'s, len(prefix + name) <= 53', () => {
    const listed = /the longest names: ([^;]+);/.exec(doc)?.[1];
    const fromRegistry = REGISTRY.all().filter(d => d.fixedName === undefined || d.fixedName === null).map(d => `${d.kind} ${maxNameLength(d)}`);
    expect(listed?.split(', ').sort()).toEqual(fromRegistry.sort());
  });

  test('rule ids are well formed and summarised', () => {
    for (const [id, r] of RULES) {
      expect(id).toMatch(RULE_ID);
      expect(r.summary.length).toBeGreaterThan(10);
    }
  });
});

/** The problems synth reports for a platform with etcd on the root. */
function problems(build: (root: RootTenant) => void) {
  const app = tempApp();
  const root = new RootTenant(app, 'platform', { host: 'example.org' });
  new EtcdService(root);
  build(root);
  return synthProblems(app);
}

/** The rules a chart's templates would trip on a spec (chart defaults merged). */
function check(chart: ChartName, spec: any, ctx: RuleContext = {}) {
  const merged = helmMerge(chartData('v1.6.2', chart).values, spec);
  return chartProblems(chart, merged, ctx);
}

function rulesOf(chart: ChartName, spec: any, ctx: RuleContext = {}): string[] {
  return check(chart, spec, ctx).map(p => p.rule);
}

describe('chart defaults trip no rule', () => {
  test.each(fs.readdirSync(path.join(__dirname, '..', 'charts', 'v1.6.2')).filter(f => f.endsWith('.json') && f !== 'definitions.json').map(f => f.replace('.json', '')))('%s', chart => {
    // external-dns has no default provider, bootbox lives in tenant-root, kubernetes-nodes names its cluster.
    const spec = chart === 'external-dns' ? { provider: 'inmemory' } : chart === 'kubernetes-nodes' ? { cluster: 'k' } : {};
    const ctx = { name: 'k-pool', namespace: chart === 'bootbox' ? 'tenant-root' : 'tenant-a', tenantHost: 'a.example.org' };
    expect(check(chart as ChartName, spec, ctx)).toEqual([]);
  });
});

describe('kubernetes', () => {
  const G = { minReplicas: 1, maxReplicas: 2, instanceType: 'u1.medium', diskSize: '20Gi' };
  const api = (apiServer: any) => ({ controlPlane: { apiServer } });

  test('kubernetes/extra-volume-name, kubernetes/extra-volume-source, kubernetes/extra-volume-mount', () => {
    expect(rulesOf('kubernetes', api({ extraVolumes: [{ secret: { secretName: 's' } }] }))).toEqual(['kubernetes/extra-volume-name']);
    expect(rulesOf('kubernetes', api({ extraVolumes: [{ name: 'v', hostPath: { path: '/' } }] }))).toEqual(['kubernetes/extra-volume-source']);
    expect(rulesOf('kubernetes', api({ extraVolumeMounts: [{ name: 'w', mountPath: '/w' }] }))).toEqual(['kubernetes/extra-volume-mount']);
    expect(rulesOf('kubernetes', api({ extraVolumeMounts: [{ mountPath: '/w' }] }))).toEqual(['kubernetes/extra-volume-mount']);
  });

  test('kubernetes/oidc-volume and kubernetes/oidc-flags only while oidc.mode is not None', () => {
    const vol = { extraVolumes: [{ name: 'authentication-config', secret: { secretName: 's' } }], extraArgs: ['--oidc-issuer-url=https://x', '--authentication-config=/x'] };
    expect(rulesOf('kubernetes', api(vol))).toEqual([]);
    expect(rulesOf('kubernetes', { ...api(vol), oidc: { mode: 'System' } })).toEqual(['kubernetes/oidc-volume', 'kubernetes/oidc-flags', 'kubernetes/oidc-flags']);
  });

  test('kubernetes/oidc-custom-config: one of inline config and secretRef', () => {
    const none = check('kubernetes', { oidc: { mode: 'CustomConfig' } });
    expect(none.map(p => p.rule)).toEqual(['kubernetes/oidc-custom-config']);
    expect(none[0].message).toContain('neither oidc.customConfig.config nor oidc.customConfig.secretRef.name is set');
    expect(rulesOf('kubernetes', { oidc: { mode: 'CustomConfig', customConfig: { config: 'x', secretRef: { name: 's' } } } })).toEqual(['kubernetes/oidc-custom-config']);
  });

  test('kubernetes/node-resources-pair', () => {
    expect(rulesOf('kubernetes', { nodeGroups: { md0: { ...G, resources: { cpu: '2' } } } })).toEqual(['kubernetes/node-resources-pair']);
  });

  test('kubernetes/kubelet-format: the chart\'s regular expressions, per key', () => {
    const p = check('kubernetes', { nodeGroups: { md0: { ...G, kubelet: { systemReservedMemory: '1GB', kubeReservedCpu: '-1', evictionHardMemory: 'x%' } } } });
    expect(p.map(x => x.rule)).toEqual(['kubernetes/kubelet-format', 'kubernetes/kubelet-format', 'kubernetes/kubelet-format']);
    expect(p[0].message).toBe('Node group "md0" has kubelet.systemReservedMemory "1GB", which is not a memory quantity such as "512Mi", "1Gi" or "1e9" (the kubernetes chart refuses it). Write e.g. "512Mi".');
  });

  test('kubernetes/kubelet-positive', () => {
    expect(rulesOf('kubernetes', { nodeGroups: { md0: { ...G, kubelet: { kubeReservedMemory: '0Mi' } } } })).toEqual(['kubernetes/kubelet-positive']);
    expect(rulesOf('kubernetes', { nodeGroups: { md0: { ...G, kubelet: { evictionHardMemory: '0%', evictionSoftMemory: '120%' } } } }))
      .toEqual(['kubernetes/kubelet-positive', 'kubernetes/kubelet-positive']);
  });

  test('kubernetes/eviction-order: hard below soft, same unit type', () => {
    expect(rulesOf('kubernetes', { nodeGroups: { md0: { ...G, kubelet: { evictionHardMemory: '10%', evictionSoftMemory: '10%' } } } })).toEqual(['kubernetes/eviction-order']);
    expect(rulesOf('kubernetes', { nodeGroups: { md0: { ...G, kubelet: { evictionHardMemory: '1Gi', evictionSoftMemory: '500Mi' } } } })).toEqual(['kubernetes/eviction-order']);
    const mixed = check('kubernetes', { nodeGroups: { md0: { ...G, kubelet: { evictionHardMemory: '500Mi' } } } });
    expect(mixed.map(x => x.message)).toEqual(['Node group "md0" mixes a percentage and an amount (evictionHardMemory 500Mi, evictionSoftMemory 10%): the chart compares them, so both must be percentages or both amounts. Write both the same way.']);
  });

  test('kubernetes/kubelet-budget: the reservations of a node sized by resources', () => {
    // 512Mi of memory: 2 x 256Mi automatic reservations + 7% hard eviction leave nothing.
    const small = check('kubernetes', { nodeGroups: { md0: { ...G, resources: { cpu: '1', memory: '512Mi' } } } });
    expect(small.map(x => x.rule)).toEqual(['kubernetes/kubelet-budget']);
    expect(small[0].message).toContain('systemReservedMemory 256Mi + kubeReservedMemory 256Mi + evictionHardMemory 7% = 548Mi');
    expect(rulesOf('kubernetes', { nodeGroups: { md0: { ...G, resources: { cpu: '100m', memory: '2Gi' } } } })).toEqual(['kubernetes/kubelet-budget']);
    expect(rulesOf('kubernetes', { nodeGroups: { md0: { ...G, resources: { cpu: '1', memory: '1Gi' } } } })).toEqual([]);
  });

  test('kubernetes/kubelet-budget: an instance type Cozystack installs has a known size', () => {
    // u1.nano: 1 CPU, 512Mi (packages/system/kubevirt-instancetypes), too small for the default reservations.
    expect(check('kubernetes', { nodeGroups: { md0: { ...G, instanceType: 'u1.nano' } } }).map(x => x.message)).toEqual([
      'Node group "md0" reserves systemReservedMemory 256Mi + kubeReservedMemory 256Mi + evictionHardMemory 7% = 548Mi, which leaves nothing of the node\'s '
      + '512Mi of memory (instance type u1.nano): the kubernetes chart refuses it. Use a larger instance type than u1.nano, or lower the kubelet reservations.',
    ]);
    expect(rulesOf('kubernetes', { nodeGroups: { md0: { ...G, instanceType: 'u1.micro' } } })).toEqual([]);
    // An instance type of the platform's own: only the cluster knows its size.
    expect(rulesOf('kubernetes', { nodeGroups: { md0: { ...G, instanceType: 'custom.tiny', kubelet: { systemReservedMemory: '64Gi' } } } })).toEqual([]);
  });

  test('kubernetes/kubelet-node-size: overrides need the node size', () => {
    expect(rulesOf('kubernetes', { nodeGroups: { md0: { ...G, instanceType: '', kubelet: { systemReservedCpu: '100m' } } } })).toEqual(['kubernetes/kubelet-node-size']);
  });

  test('kubernetes/node-role: roles become label names node-role.kubernetes.io/<role>', () => {
    const p = check('kubernetes', { nodeGroups: { md0: { ...G, roles: ['ingress-nginx', 'gpu worker', 'x'.repeat(64)] } } });
    expect(p.map(x => x.path)).toEqual(['spec.nodeGroups.md0.roles[1]', 'spec.nodeGroups.md0.roles[2]']);
    expect(p[0].message).toContain('Use e.g. "gpu-worker".');
  });

  test('kubernetes/max-unhealthy: the group value, else the cluster-wide one reported once', () => {
    expect(check('kubernetes', { nodeGroups: { md0: { ...G, maxUnhealthy: '33.3%' } } }).map(x => x.message))
      .toEqual(['nodeGroups.md0.maxUnhealthy is "33.3%": it must be a bare integer (e.g. 0, 1) or an integer percentage (e.g. "50%"). Write e.g. "33%".']);
    expect(rulesOf('kubernetes', { nodeHealthCheck: { maxUnhealthy: 'half' }, nodeGroups: { a: G, b: G } })).toEqual(['kubernetes/max-unhealthy']);
  });

  test('kubernetes/addon-dependency: hami, ouroboros, and any YAML spelling of true', () => {
    expect(rulesOf('kubernetes', { addons: { hami: { enabled: true } } })).toEqual(['kubernetes/addon-dependency']);
    expect(rulesOf('kubernetes', { addons: { ouroboros: { enabled: true } } })).toEqual(['kubernetes/addon-dependency']);
    const gw = { enabled: true, valuesOverride: { ouroboros: { controller: { gatewayApi: { enabled: 'On' } } } } };
    expect(rulesOf('kubernetes', { addons: { ingressNginx: { enabled: true }, ouroboros: gw } })).toEqual(['kubernetes/addon-dependency']);
  });
});

describe('kubernetes-nodes', () => {
  test('kubernetes-nodes/cluster: a parent cluster, and a name <cluster>-<pool>', () => {
    expect(rulesOf('kubernetes-nodes', {}, { name: 'k-pool' })).toEqual(['kubernetes-nodes/cluster']);
    const p = check('kubernetes-nodes', { cluster: 'k' }, { name: 'pool' });
    expect(p.map(x => x.message)).toEqual(['KubernetesNodes "pool" joins cluster "k", but its name does not start with "k-": the chart derives the node group from the release name and refuses. Rename it, e.g. "k-pool".']);
  });

  test('kubernetes-nodes/pool-collision: a pool named like a node group of its cluster', () => {
    const p = problems(root => {
      const k = new KubernetesCluster(root, 'k', { nodeGroups: { md0: { minReplicas: 1, maxReplicas: 2, instanceType: 'u1.medium', diskSize: '20Gi' } } });
      new KubernetesNodes(root, 'md0', { kubernetesCluster: k });
    });
    expect(p.map(x => x.message)).toEqual([expect.stringContaining('KubernetesNodes pool "md0" has the name of a node group of Kubernetes "k"')]);
  });

  test('its node group runs the kubernetes node rules', () => {
    // rule: kubernetes/kubelet-budget
    expect(rulesOf('kubernetes-nodes', { cluster: 'k', resources: { cpu: '1', memory: '512Mi' } }, { name: 'k-pool' })).toEqual(['kubernetes/kubelet-budget']);
  });
});

describe('postgres', () => {
  test('postgres/blocked-parameter matches any letter case, as the chart lower-cases keys', () => {
    const p = check('postgres', { postgresql: { parameters: { Shared_Preload_Libraries: 'x', ARCHIVE_COMMAND: 'x', max_connections: '10' } } });
    expect(p.map(x => x.message)).toEqual([
      'postgresql.parameters.Shared_Preload_Libraries is blocked by Cozystack\'s postgres chart (it runs commands or loads libraries on the server; the chart lower-cases parameter names before it compares them, as PostgreSQL reads them, so "Shared_Preload_Libraries" is shared_preload_libraries). Remove it.',
      'postgresql.parameters.ARCHIVE_COMMAND is blocked by Cozystack\'s postgres chart (it runs commands or loads libraries on the server; the chart lower-cases parameter names before it compares them, as PostgreSQL reads them, so "ARCHIVE_COMMAND" is archive_command). Remove it.',
    ]);
  });

  test('postgres/parameter-case: one setting in two spellings, the chart default among them', () => {
    const p = check('postgres', { postgresql: { parameters: { Max_Connections: '500' } } });
    expect(p.map(x => x.message)).toEqual([
      'postgresql.parameters.Max_Connections and postgresql.parameters.max_connections are the same PostgreSQL setting (names are read without regard to case), '
      + 'and the chart writes both (max_connections is a chart default): only one of them takes effect, and not necessarily "Max_Connections". Write it once, in lower case: max_connections.',
    ]);
    expect(rulesOf('postgres', { postgresql: { parameters: { Work_Mem: '4MB' } } })).toEqual([]);
  });

  test('postgres/reserved-user, except while a restore skips the init script', () => {
    expect(rulesOf('postgres', { users: { postgres: {} } })).toEqual(['postgres/reserved-user']);
    const restore = { users: { postgres: {} }, bootstrap: { enabled: true, oldName: 'old' }, backup: { s3CredentialsSecret: { name: 's' } } };
    expect(rulesOf('postgres', restore)).toEqual([]);
  });

  test('postgres/bootstrap-system-bucket and postgres/bootstrap-credentials', () => {
    const restore = { enabled: true, oldName: 'old' };
    expect(rulesOf('postgres', { bootstrap: restore, backup: { useSystemBucket: true } })).toEqual(['postgres/bootstrap-system-bucket']);
    expect(rulesOf('postgres', { bootstrap: restore })).toEqual(['postgres/bootstrap-credentials']);
    expect(rulesOf('postgres', { bootstrap: restore, backup: { s3AccessKey: 'a', s3SecretKey: 'b' } })).toEqual([]);
  });

  test('postgres/bootstrap-old-name: a restore names its source', () => {
    expect(rulesOf('postgres', { bootstrap: { enabled: true }, backup: { s3AccessKey: 'a', s3SecretKey: 'b' } })).toEqual(['postgres/bootstrap-old-name']);
  });

  test('postgres/size: null deletes the default', () => {
    expect(check('postgres', { size: null }).map(x => x.message)).toEqual([
      'size is not set (null removes the chart default): the postgres chart requires a volume size and refuses to render without one. Set it, e.g. size: "10Gi", or leave it out for the chart\'s default.',
    ]);
  });

  test('postgres/role-user names the user spelled in another case', () => {
    const p = check('postgres', { users: { app: {} }, databases: { db: { roles: { admin: ['App'], readonly: ['nobody'] } } } });
    expect(p.map(x => x.rule)).toEqual(['postgres/role-user', 'postgres/role-user']);
    expect(p[0].message).toBe('databases.db.roles.admin names user "App", which is not in users: the chart\'s init job only grants roles to the users it manages and skips "App" without a word, so it never gets admin rights on "db". Write "app".');
    expect(p[1].message).toContain('Use one of "app", or add users.nobody.');
  });

  test('postgres/user-name: capitals, Secret keys and 63 bytes', () => {
    const p = check('postgres', { users: { 'App': {}, 'a b': {}, ['u'.repeat(64)]: {} } });
    expect(p.map(x => x.rule)).toEqual(['postgres/user-name', 'postgres/user-name', 'postgres/user-name']);
    expect(p[0].message).toContain('Postgres user "App" is not a lowercase identifier');
    expect(p[0].message).toContain('Rename it, e.g. "app".');
    expect(p[1].message).toContain('cannot be a key of the credentials Secret');
    expect(p[2].message).toContain('has 64 bytes');
  });

  test('on v0.41 only the rules its chart already had: postgres/reserved-user yes, postgres/blocked-parameter no', () => {
    const merged = (spec: any) => helmMerge(chartData('v0.41.11', 'postgres').values, spec);
    expect(chartProblems('postgres', merged({ users: { postgres: {} } }), { release: 'v0.41.11' }).map(p => p.rule)).toEqual(['postgres/reserved-user']);
    expect(chartProblems('postgres', merged({ postgresql: { parameters: { archive_command: 'x' } } }), { release: 'v0.41.11' })).toEqual([]);
  });

  test('postgres/database-name: room for the _readonly role', () => {
    expect(rulesOf('postgres', { databases: { ['d'.repeat(54)]: {} } })).toEqual([]);
    expect(rulesOf('postgres', { databases: { ['d'.repeat(55)]: {} } })).toEqual(['postgres/database-name']);
  });
});

describe('ingress', () => {
  test('ingress/proxy-exclusive and ingress/host-proxy-protocol', () => {
    expect(rulesOf('ingress', { cloudflareProxy: true, proxyProtocol: true }, { namespace: 'tenant-a' })).toEqual(['ingress/proxy-exclusive']);
    expect(rulesOf('ingress', { proxyProtocol: true }, { namespace: 'tenant-a' })).toEqual([]);
    expect(rulesOf('ingress', { proxyProtocol: true }, { namespace: 'tenant-root' })).toEqual(['ingress/host-proxy-protocol']);
  });
});

describe('seaweedfs', () => {
  test('seaweedfs/topology names the listed spelling', () => {
    const p = check('seaweedfs', { topology: 'multizone' });
    expect(p.map(x => x.rule)).toEqual(['seaweedfs/topology']);
    expect(p[0].message).toBe('topology is "multizone": the seaweedfs chart knows Simple, MultiZone and Client (the case matters). Use "MultiZone".');
    expect(rulesOf('seaweedfs', { topology: 'Client' })).toEqual(['seaweedfs/topology']);
    expect(rulesOf('seaweedfs', { topology: 'MultiZone' })).toEqual(['seaweedfs/topology']);
  });

  test('seaweedfs/replication', () => {
    expect(rulesOf('seaweedfs', { replicationFactor: 0 })).toEqual(['seaweedfs/replication']);
    expect(rulesOf('seaweedfs', { topology: 'MultiZone', replicationFactor: 3, volume: { zones: { a: {}, b: {} } } })).toEqual(['seaweedfs/replication']);
  });

  test('seaweedfs/pools-topology', () => {
    expect(rulesOf('seaweedfs', { topology: 'MultiZone', replicationFactor: 1, volume: { zones: { a: {} }, pools: { fast: { diskType: 'ssd' } } } })).toEqual(['seaweedfs/pools-topology']);
  });

  test('seaweedfs/disk-type: lowercase, different from the volume, the same in every zone', () => {
    const p = check('seaweedfs', { volume: { diskType: 'HDD', pools: { fast: { diskType: 'SSD' } } } });
    expect(p.map(x => x.message)).toEqual([
      'volume.diskType is "HDD": disk types are lowercase letters and digits (the chart refuses others, capitals included). Write "hdd".',
      'volume.pools "fast" diskType is "SSD": disk types are lowercase letters and digits (the chart refuses others, capitals included). Write "ssd".',
    ]);
    expect(rulesOf('seaweedfs', { volume: { diskType: 'ssd', pools: { fast: { diskType: 'ssd' } } } })).toEqual(['seaweedfs/disk-type']);
    const zones = { a: { pools: { fast: { diskType: 'ssd' } } }, b: { pools: { fast: { diskType: 'nvme' } } } };
    expect(rulesOf('seaweedfs', { topology: 'MultiZone', replicationFactor: 1, volume: { zones } })).toEqual(['seaweedfs/disk-type']);
  });

  test('seaweedfs/pool-name', () => {
    expect(rulesOf('seaweedfs', { volume: { pools: { 'Fast': { diskType: 'ssd' }, 'x-lock': { diskType: 'ssd' } } } })).toEqual(['seaweedfs/pool-name', 'seaweedfs/pool-name']);
    const zones = { 'a': { pools: { b: { diskType: 'ssd' } } }, 'a-b': {} };
    expect(rulesOf('seaweedfs', { topology: 'MultiZone', replicationFactor: 1, volume: { zones } })).toEqual(['seaweedfs/pool-name']);
  });
});

describe('bucket', () => {
  test('bucket/storage-pool: a pool the inherited SeaweedFS declares', () => {
    const p = problems(root => {
      const a = new Tenant(root, 'a');
      new SeaweedFSService(a, { volume: { pools: { fast: { diskType: 'ssd' } } } });
      new Bucket(a, 'b1', { storagePool: 'fats' });
      new Bucket(a, 'b2', { storagePool: 'fast' });
      // A SeaweedFS switched on by the flag alone may be tuned elsewhere: only the cluster knows its pools.
      new Bucket(new Tenant(root, 'c', { seaweedfs: true }), 'b3', { storagePool: 'anything' });
    });
    expect(p.map(x => `${x.path}: ${x.message}`)).toEqual([
      'platform/a/b1: storagePool is "fats", but the SeaweedFS of tenant-a, which this tenant\'s buckets use, declares the pools "fast": '
      + 'the BucketClaim would wait forever for the bucket class "tenant-a-fats". Use "fast".',
    ]);
  });
});

describe('the other catalogue charts', () => {
  test('bootbox/root-tenant', () => {
    expect(rulesOf('bootbox', {}, { namespace: 'tenant-a' })).toEqual(['bootbox/root-tenant']);
  });

  test('clickhouse/backup-fields and clickhouse/backup-path-override', () => {
    const blank = { s3Bucket: '', s3Region: '', s3AccessKey: '', s3SecretKey: '' };
    expect(rulesOf('clickhouse', { backup: { enabled: true, ...blank } })).toEqual(Array(4).fill('clickhouse/backup-fields'));
    expect(rulesOf('clickhouse', { backup: { enabled: true, ...blank, s3CredentialsSecret: { name: 's' } } })).toEqual([]);
    expect(rulesOf('clickhouse', { backup: { enabled: true, s3CredentialsSecret: { name: 's' }, schedule: '0 2 * * *' } }))
      .toEqual(['clickhouse/backup-fields', 'clickhouse/backup-fields', 'clickhouse/backup-fields']);
    expect(rulesOf('clickhouse', { backup: { enabled: true, useSystemBucket: true, s3PathOverride: 'x' } })).toEqual(['clickhouse/backup-path-override']);
    // Without backups the chart renders no sidecar and does not look at the path.
    expect(rulesOf('clickhouse', { backup: { useSystemBucket: true, s3PathOverride: 'x' } })).toEqual([]);
  });

  test('mariadb/backup-fields', () => {
    const real = { s3AccessKey: 'a', s3SecretKey: 'b', resticPassword: 'c' };
    expect(rulesOf('mariadb', { backup: { enabled: true, ...real, resticPassword: '' } })).toEqual(['mariadb/backup-fields']);
    expect(rulesOf('mariadb', { backup: { enabled: true, ...real } })).toEqual([]);
    // The chart's defaults are placeholders: it renders them, and every backup fails.
    expect(check('mariadb', { backup: { enabled: true } }).map(x => x.message)).toEqual([
      'backup.s3AccessKey is still the chart\'s placeholder "<your-access-key>" while backup.enabled is true: the backup job would run with it and fail every time. Set backup.s3AccessKey.',
      'backup.s3SecretKey is still the chart\'s placeholder "<your-secret-key>" while backup.enabled is true: the backup job would run with it and fail every time. Set backup.s3SecretKey.',
      'backup.resticPassword is still the chart\'s placeholder "<password>" while backup.enabled is true: the backup job would run with it and fail every time. Set backup.resticPassword.',
    ]);
  });

  test('mariadb/role-user and mariadb/object-name', () => {
    const u = { maxUserConnections: 10, password: 'x' };
    const p = check('mariadb', { users: { app: u }, databases: { db: { roles: { admin: ['App'] } } } });
    expect(p.map(x => x.message)).toEqual([
      'databases.db.roles.admin names user "App", which is not in users: the chart creates a Grant for a user nobody creates, and the operator retries it forever. Write "app".',
    ]);
    const q = check('mariadb', { users: { App_User: u }, databases: { Sales: {} } });
    expect(q.map(x => x.rule)).toEqual(['mariadb/object-name', 'mariadb/object-name']);
    expect(q[0].message).toContain('Rename it, e.g. "app_user".');
    expect(rulesOf('mariadb', { users: { app_user: u, root: u }, databases: { my_db: { roles: { admin: ['app_user'] } } } })).toEqual([]);
  });

  test('rabbitmq/role-user', () => {
    expect(check('rabbitmq', { users: { app: {} }, vhosts: { v: { roles: { admin: ['app'], readonly: ['apps'] } } } }).map(x => x.message)).toEqual([
      'vhosts.v.roles.readonly names user "apps", which is not in users: the chart creates a Permission for a user nobody creates, and it never applies. Write "app".',
    ]);
  });

  test('mongodb/user-role, mongodb/role-user, mongodb/backup-fields', () => {
    expect(rulesOf('mongodb', { users: { app: {} } })).toEqual(['mongodb/user-role']);
    expect(rulesOf('mongodb', { users: { app: {} }, databases: { db: { roles: { admin: ['app', 'other'] } } } })).toEqual(['mongodb/role-user']);
    // destinationPath and endpointURL have chart defaults: the backup name and the two keys are missing.
    expect(check('mongodb', { bootstrap: { enabled: true } }).map(x => x.path)).toEqual(['spec.bootstrap.backupName', 'spec.backup.s3AccessKey', 'spec.backup.s3SecretKey']);
  });

  test('opensearch/node-roles', () => {
    expect(rulesOf('opensearch', { nodeRoles: { master: false, data: false, ingest: false, ml: false } })).toEqual(['opensearch/node-roles']);
  });

  test('vm-disk/source', () => {
    expect(rulesOf('vm-disk', { source: { http: { url: 'x' }, upload: {} } })).toEqual(['vm-disk/source']);
    expect(rulesOf('vm-disk', { source: { image: {} } })).toEqual(['vm-disk/source']);
  });

  test('vm-instance/sizing', () => {
    expect(rulesOf('vm-instance', { instanceType: '', resources: { cpu: '1' } })).toEqual(['vm-instance/sizing']);
  });

  test('external-dns/provider', () => {
    expect(rulesOf('external-dns', {})).toEqual(['external-dns/provider']);
  });

  test('nats/external-host', () => {
    expect(rulesOf('nats', { external: true }, { tenantHost: '' })).toEqual(['nats/external-host']);
    expect(rulesOf('nats', { external: true }, { tenantHost: 'a.example.org' })).toEqual([]);
  });

  test('cozy-lib/flat-resources: only the maps the charts hand to cozy-lib', () => {
    const p = check('redis', { resources: { requests: { cpu: '1' } } });
    expect(p.map(x => x.rule)).toEqual(['cozy-lib/flat-resources']);
    expect(p[0].message).toContain('spec.resources has requests: sections');
    // monitoring passes grafana.resources to the pods as it is: nested is right there.
    expect(rulesOf('monitoring', { grafana: { resources: { requests: { cpu: '1' } } } })).toEqual([]);
  });
});

describe('through the constructs: one message per problem, all in one run', () => {
  test('a Postgres with three problems gets three messages and no schema echo', () => {
    const p = problems(root => new Postgres(root, 'db', {
      users: { app: {} },
      databases: { db: { roles: { admin: ['App'] } } },
      postgresql: { parameters: { ARCHIVE_COMMAND: 'x' } },
      size: null as any,
    }));
    expect(p.map(x => x.path)).toEqual(['platform/db', 'platform/db', 'platform/db']);
    expect(p.map(x => x.message.split(' ')[0])).toEqual(['postgresql.parameters.ARCHIVE_COMMAND', 'size', 'databases.db.roles.admin']);
  });

  test('a KubernetesCluster runs its chart rules (kubernetes/max-unhealthy)', () => {
    const p = problems(root => new KubernetesCluster(root, 'k', {
      nodeHealthCheck: { maxUnhealthy: '1.5' },
      nodeGroups: { md0: { minReplicas: 1, maxReplicas: 2, instanceType: 'u1.medium', diskSize: '20Gi' } },
    }));
    expect(p.map(x => x.message)).toEqual(['nodeHealthCheck.maxUnhealthy is "1.5": it must be a bare integer (e.g. 0, 1) or an integer percentage (e.g. "50%"). Write e.g. "50%".']);
  });

  test('postgres/secret-keys: a declared backup Secret without the key the chart reads', () => {
    const p = problems(root => {
      const s3 = new plus.Secret(root, 's3', { stringData: { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_KEY: 'b' } });
      new Postgres(root, 'db', { backup: { enabled: true }, backupS3CredentialsSecret: s3 });
    });
    expect(p.map(x => x.message)).toEqual([
      `backupS3CredentialsSecret is the Secret "${p[0]?.message.match(/Secret "(platform-s3-[a-z0-9]+)"/)?.[1]}", which has no key "AWS_SECRET_ACCESS_KEY" (it has "AWS_ACCESS_KEY_ID", "AWS_SECRET_KEY"): `
      + 'the S3 secret key is read from that key, so it fails on the cluster. Add the key "AWS_SECRET_ACCESS_KEY" to the Secret, or set backup.s3CredentialsSecret.secretAccessKeyKey to "AWS_SECRET_KEY".',
    ]);
    // A Secret the program only names: only the cluster knows its keys.
    expect(problems(root => new Postgres(root, 'db', { backup: { enabled: true }, backupS3CredentialsSecret: plus.Secret.fromSecretName(root, 'x', 's3') }))).toEqual([]);
  });

  test('kubernetes/secret-keys: a declared OIDC Secret holds config.yaml', () => {
    const p = problems(root => {
      const oidc = new plus.Secret(root, 'oidc', { stringData: { 'config.yml': 'x' } });
      new KubernetesCluster(root, 'k', { nodeGroups: { md0: { minReplicas: 1, maxReplicas: 2, instanceType: 'u1.medium', diskSize: '20Gi' } }, oidcCustomConfigSecret: oidc });
    });
    expect(p.map(x => x.message)).toEqual([expect.stringContaining('which has no key "config.yaml" (it has "config.yml")')]);
    expect(p[0].message).toContain('Add the key "config.yaml" to the Secret (rename "config.yml").');
  });

  test('an IngressService on the root: ingress/host-proxy-protocol', () => {
    const p = problems(root => new IngressService(root, { proxyProtocol: true }));
    expect(p.map(x => x.message)).toEqual([expect.stringContaining('proxyProtocol is set on the ingress of tenant-root')]);
    expect(problems(root => new IngressService(new Tenant(root, 'a'), { proxyProtocol: true }))).toEqual([]);
  });
});
