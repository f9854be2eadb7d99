/**
 * Holds the chart rules (src/domain/rules/) to Cozystack's own templates: renders each case
 * below with `helm template` against the real charts of a Cozystack release and checks that
 * the chart refuses exactly when a rule of the library does.
 *
 * The templates are not part of this repository, so this is a tool for whoever changes a rule
 * or moves to a new Cozystack release, not a test:
 *
 *   npx ts-node -P scripts/tsconfig.json scripts/chart-rules-check.ts <cozystack git dir> [tag] [helm]
 *
 * with a clone (or bare mirror) of github.com/cozystack/cozystack; the tag defaults to the
 * release the chart data is from (v1.6.2), helm to the binary the tests download into
 * .cache/ (or `helm` on the PATH). Exits 1 when the chart and the rules disagree on a case.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { chartData, ChartName, helmMerge } from '../src/domain/charts';
import { chartProblems } from '../src/domain/rules/registry';

const [gitDir, tag = 'v1.6.2', helmArg] = process.argv.slice(2);
if (!gitDir) {
  console.error('usage: chart-rules-check.ts <cozystack git dir> [tag] [helm]');
  process.exit(2);
}
const cachedHelm = path.join(__dirname, '..', '.cache', 'kubectl');
const helm = helmArg ?? (fs.existsSync(cachedHelm)
  ? fs.readdirSync(cachedHelm).map(v => path.join(cachedHelm, v, 'helm', 'helm')).find(p => fs.existsSync(p)) ?? 'helm'
  : 'helm');

/** Where each chart lives in the Cozystack repository, and its release prefix. */
const CHARTS: Record<string, { dir: string; prefix: string }> = {
  'kubernetes': { dir: 'apps/kubernetes', prefix: 'kubernetes-' },
  'kubernetes-nodes': { dir: 'apps/kubernetes-nodes', prefix: 'kubernetes-nodes-' },
  'postgres': { dir: 'apps/postgres', prefix: 'postgres-' },
  'seaweedfs': { dir: 'extra/seaweedfs', prefix: '' },
  'ingress': { dir: 'extra/ingress', prefix: '' },
  'mongodb': { dir: 'apps/mongodb', prefix: 'mongodb-' },
  'mariadb': { dir: 'apps/mariadb', prefix: 'mariadb-' },
  'clickhouse': { dir: 'apps/clickhouse', prefix: 'clickhouse-' },
  'opensearch': { dir: 'apps/opensearch', prefix: 'opensearch-' },
  'redis': { dir: 'apps/redis', prefix: 'redis-' },
  'nats': { dir: 'apps/nats', prefix: 'nats-' },
  'external-dns': { dir: 'extra/external-dns', prefix: '' },
  'tcp-balancer': { dir: 'apps/tcp-balancer', prefix: 'tcp-balancer-' },
  'vm-disk': { dir: 'apps/vm-disk', prefix: 'vm-disk-' },
  'vm-instance': { dir: 'apps/vm-instance', prefix: 'vm-instance-' },
};

/** A node group sized by resources: the chart then looks no instance type up (lookup is empty under helm template). */
const G = { minReplicas: 1, maxReplicas: 2, instanceType: 'u1.medium', diskSize: '20Gi', resources: { cpu: '2', memory: '4Gi' } };
const group = (g: object) => ({ nodeGroups: { md0: { ...G, ...g } } });

/** chart, object name, spec, namespace (default tenant-a). */
const CASES: Array<[string, string, any, string?]> = [
  ['kubernetes', 'k', group({})],
  ['kubernetes', 'k', group({ resources: { cpu: '1', memory: '512Mi' } })],
  ['kubernetes', 'k', group({ resources: { cpu: '1', memory: '1Gi' } })],
  ['kubernetes', 'k', group({ resources: { cpu: '100m', memory: '2Gi' } })],
  ['kubernetes', 'k', group({ resources: { cpu: '2' } })],
  ['kubernetes', 'k', group({ kubelet: { evictionHardMemory: '500Mi' } })],
  ['kubernetes', 'k', group({ kubelet: { evictionHardMemory: '500Mi', evictionSoftMemory: '1Gi' } })],
  ['kubernetes', 'k', group({ kubelet: { evictionHardMemory: '1Gi', evictionSoftMemory: '500Mi' } })],
  ['kubernetes', 'k', group({ kubelet: { evictionHardMemory: '10%', evictionSoftMemory: '10%' } })],
  ['kubernetes', 'k', group({ kubelet: { evictionHardMemory: 'x%' } })],
  ['kubernetes', 'k', group({ kubelet: { evictionSoftMemory: '0%' } })],
  ['kubernetes', 'k', group({ kubelet: { systemReservedCpu: '0' } })],
  ['kubernetes', 'k', group({ kubelet: { systemReservedMemory: '1GB' } })],
  ['kubernetes', 'k', group({ kubelet: { systemReservedMemory: '3Gi' } })],
  ['kubernetes', 'k', group({ kubelet: { kubeReservedCpu: '0.5', systemReservedCpu: '1.6' } })],
  ['kubernetes', 'k', group({ instanceType: '', resources: {}, kubelet: { systemReservedCpu: '100m' } })],
  ['kubernetes', 'k', group({ maxUnhealthy: '33.3%' })],
  ['kubernetes', 'k', { ...group({}), nodeHealthCheck: { maxUnhealthy: '2' } }],
  ['kubernetes', 'k', { ...group({}), oidc: { mode: 'CustomConfig' } }],
  ['kubernetes', 'k', { ...group({}), addons: { hami: { enabled: true } } }],
  ['kubernetes', 'k', { ...group({}), addons: { ouroboros: { enabled: true } } }],
  ['kubernetes', 'k', { ...group({}), addons: { ingressNginx: { enabled: true }, ouroboros: { enabled: true, valuesOverride: { ouroboros: { controller: { gatewayApi: { enabled: 'On' } } } } } } }],
  ['kubernetes', 'k', { ...group({}), controlPlane: { apiServer: { extraVolumes: [{ name: 'v', hostPath: { path: '/' } }] } } }],
  ['kubernetes', 'k', { ...group({}), controlPlane: { apiServer: { extraVolumeMounts: [{ name: 'w', mountPath: '/w' }] } } }],
  ['kubernetes-nodes', 'k-pool', { cluster: 'k', resources: { cpu: '2', memory: '4Gi' } }],
  ['kubernetes-nodes', 'pool', { cluster: 'k', resources: { cpu: '2', memory: '4Gi' } }],
  ['kubernetes-nodes', 'k-pool', { resources: { cpu: '2', memory: '4Gi' } }],
  ['kubernetes-nodes', 'k-pool', { cluster: 'k', resources: { cpu: '2', memory: '4Gi' }, maxUnhealthy: 'half' }],
  ['postgres', 'db', {}],
  ['postgres', 'db', { postgresql: { parameters: { ARCHIVE_COMMAND: 'x' } } }],
  ['postgres', 'db', { postgresql: { parameters: { Shared_Preload_Libraries: 'x' } } }],
  ['postgres', 'db', { bootstrap: { enabled: true, oldName: 'o' }, backup: { useSystemBucket: true } }],
  ['postgres', 'db', { bootstrap: { enabled: true, oldName: 'o' } }],
  ['postgres', 'db', { size: null }],
  ['postgres', 'db', { users: { postgres: {} } }],
  ['postgres', 'db', { users: { postgres: {} }, bootstrap: { enabled: true, oldName: 'o' }, backup: { s3CredentialsSecret: { name: 's' } } }],
  ['seaweedfs', 'seaweedfs', {}],
  ['seaweedfs', 'seaweedfs', { topology: 'multizone' }],
  ['seaweedfs', 'seaweedfs', { topology: 'Client' }],
  ['seaweedfs', 'seaweedfs', { replicationFactor: 0 }],
  ['seaweedfs', 'seaweedfs', { topology: 'MultiZone', replicationFactor: 2, volume: { zones: { a: {} } } }],
  ['seaweedfs', 'seaweedfs', { topology: 'MultiZone', replicationFactor: 1, volume: { zones: { a: {} }, pools: { fast: { diskType: 'ssd' } } } }],
  ['seaweedfs', 'seaweedfs', { volume: { diskType: 'HDD' } }],
  ['seaweedfs', 'seaweedfs', { volume: { pools: { Fast: { diskType: 'ssd' } } } }],
  ['seaweedfs', 'seaweedfs', { volume: { pools: { 'x-lock': { diskType: 'ssd' } } } }],
  ['seaweedfs', 'seaweedfs', { volume: { diskType: 'ssd', pools: { fast: { diskType: 'ssd' } } } }],
  ['seaweedfs', 'seaweedfs', { topology: 'MultiZone', replicationFactor: 1, volume: { zones: { a: { pools: { fast: { diskType: 'ssd' } } }, b: { pools: { fast: { diskType: 'nvme' } } } } } }],
  ['seaweedfs', 'seaweedfs', { topology: 'MultiZone', replicationFactor: 1, volume: { zones: { 'a': { pools: { b: { diskType: 'ssd' } } }, 'a-b': {} } } }],
  ['ingress', 'ingress', { cloudflareProxy: true, proxyProtocol: true }],
  ['ingress', 'ingress', { proxyProtocol: true }, 'tenant-root'],
  ['ingress', 'ingress', { proxyProtocol: true }],
  ['mongodb', 'm', { users: { app: {} } }],
  ['mongodb', 'm', { users: { app: {} }, databases: { d: { roles: { admin: ['app'] } } } }],
  ['mongodb', 'm', { bootstrap: { enabled: true } }],
  ['mariadb', 'm', { backup: { enabled: true, s3AccessKey: 'a', s3SecretKey: 'b', resticPassword: '' } }],
  ['clickhouse', 'c', { backup: { enabled: true, s3Bucket: '' } }],
  ['clickhouse', 'c', { backup: { useSystemBucket: true, s3PathOverride: 'x' } }],
  ['clickhouse', 'c', { backup: { enabled: true, useSystemBucket: true, s3PathOverride: 'x' } }],
  ['opensearch', 'o', { nodeRoles: { master: false, data: false, ingest: false, ml: false } }],
  ['opensearch', 'o', {}],
  ['redis', 'r', { resources: { requests: { cpu: '1' } } }],
  ['nats', 'n', { external: true }],
  ['external-dns', 'external-dns', {}],
  ['external-dns', 'external-dns', { provider: 'inmemory' }],
  ['tcp-balancer', 't', { httpAndHttps: { mode: 'tcp-with-proxy' } }],
  ['vm-disk', 'd', { source: { image: {} } }],
  ['vm-disk', 'd', { source: { http: { url: 'x' }, upload: {} } }],
  ['vm-instance', 'v', { instanceType: '', resources: { cpu: '1' } }],
];

// The chart-only rules: the traps (a role naming an unknown user, placeholders, ...) are not chart refusals.
const TRAPS = new Set(['postgres/role-user', 'postgres/user-name', 'postgres/database-name', 'postgres/parameter-case', 'postgres/bootstrap-old-name',
  'mariadb/role-user', 'mariadb/object-name', 'mongodb/role-user', 'rabbitmq/role-user', 'kubernetes/node-role']);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-rules-check-'));
try {
  const dirs = [...new Set(Object.values(CHARTS).map(c => `packages/${c.dir}`)), 'packages/library/cozy-lib'];
  const tarball = path.join(work, 'charts.tar');
  execFileSync('git', ['--git-dir', path.join(gitDir, fs.existsSync(path.join(gitDir, '.git')) ? '.git' : ''), 'archive', '-o', tarball, tag, ...dirs]);
  execFileSync('tar', ['-x', '-f', tarball, '-C', work]);
  // The chart data the rules read (charts/<release>): the tag's own when the repository has it.
  const release = fs.existsSync(path.join(__dirname, '..', 'charts', tag)) ? tag : 'v1.6.2';
  let disagree = 0;
  for (const [chart, name, spec, namespace = 'tenant-a'] of CASES) {
    const values = path.join(work, `values-${Math.random().toString(36).slice(2)}.yaml`);
    const ns = { etcd: 'tenant-root', ingress: 'tenant-root', monitoring: 'tenant-root', seaweedfs: 'tenant-root', host: 'a.example.org' };
    fs.writeFileSync(values, YAML.stringify({ ...spec, _namespace: ns, _cluster: {} }));
    let refusal = '';
    try {
      execFileSync(helm, ['template', CHARTS[chart].prefix + name, path.join(work, 'packages', CHARTS[chart].dir), '-n', namespace, '-f', values], { stdio: 'pipe' });
    } catch (e: any) {
      refusal = String(e.stderr).split('\n').find(l => l.startsWith('Error')) ?? 'error';
    }
    const merged = helmMerge(chartData(release, chart as ChartName).values, spec);
    const rules = chartProblems(chart, merged, { name, namespace, tenantHost: ns.host, release }).map(p => p.rule).filter(r => !TRAPS.has(r));
    const agree = (refusal !== '') === (rules.length > 0);
    if (!agree) disagree++;
    console.log(`${agree ? 'ok  ' : 'DIFF'} ${chart} ${JSON.stringify(spec)}\n     chart: ${refusal.slice(0, 200) || 'renders'}\n     rules: ${rules.join(', ') || '-'}`);
  }
  console.log(`${CASES.length - disagree}/${CASES.length} cases agree`);
  process.exitCode = disagree > 0 ? 1 : 0;
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
