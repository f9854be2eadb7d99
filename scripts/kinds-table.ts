/**
 * The README's table of every Cozystack kind (issue 12), generated from the registry of
 * kinds so it cannot drift: the construct, the chart, what it inherits, its credentials and
 * since which version Cozystack serves it. `npx ts-node -P test/tsconfig.json
 * scripts/kinds-table.ts` rewrites the table between the markers in README.md;
 * test/catalogue-kinds.test.ts fails when README.md holds another table.
 */
import * as fs from 'fs';
import * as path from 'path';
import { KindDefinition, REGISTRY } from '../src/domain/registry';

export const TABLE_START = '<!-- kinds-table:start (scripts/kinds-table.ts writes this table) -->';
export const TABLE_END = '<!-- kinds-table:end -->';

/** The construct that declares each kind; Info is on every tenant. */
export const CONSTRUCT_OF_KIND: Readonly<Record<string, string>> = {
  Tenant: 'Tenant',
  Info: 'Tenant, RootTenant (kubeconfigSecretName)',
  Etcd: 'EtcdService',
  Ingress: 'IngressService',
  Monitoring: 'MonitoringService',
  SeaweedFS: 'SeaweedFSService',
  BootBox: 'BootBoxService (root only)',
  Kubernetes: 'KubernetesCluster',
  Postgres: 'Postgres',
  NATS: 'Nats',
  VPN: 'Vpn',
  Bucket: 'Bucket',
  ClickHouse: 'ClickHouse',
  ExternalDNS: 'ExternalDNS',
  FoundationDB: 'FoundationDB',
  HTTPCache: 'HTTPCache',
  Harbor: 'Harbor',
  Kafka: 'Kafka',
  KubernetesNodes: 'KubernetesNodes',
  MariaDB: 'MariaDB',
  MongoDB: 'MongoDB',
  OpenBAO: 'OpenBAO',
  OpenSearch: 'OpenSearch',
  Qdrant: 'Qdrant',
  RabbitMQ: 'RabbitMQ',
  Redis: 'Redis',
  TCPBalancer: 'TCPBalancer',
  VMDisk: 'VMDisk',
  VMInstance: 'VMInstance',
  VirtualPrivateCloud: 'VirtualPrivateCloud',
};

function short(release: string): string {
  return release.replace(/^(v\d+\.\d+)\.0$/, '$1');
}

function inherits(d: KindDefinition): string {
  const parts: string[] = [];
  if (d.consumes.length > 0) parts.push(d.consumes.join(', '));
  const extra = d.uses.filter(s => !(d.consumes as string[]).includes(s));
  if (extra.length > 0) parts.push(`${extra.join(', ')} (scraped)`);
  const needs = [...new Set(d.needs.map(n => `${n.service} (${n.effect === 'refuse' ? 'refused' : 'warned'} without)`))];
  if (needs.length > 0) parts.push(`needs ${needs.join(', ')}`);
  return parts.length > 0 ? parts.join('; ') : '–';
}

function credentials(d: KindDefinition): string {
  if (d.credentials.length === 0) return '–';
  const md = (t: string) => t.replace(/\{\{\s*\.(\w+)\s*\}\}/g, '<$1>');
  return d.credentials.map(c => `\`${md(c.secret)}\`${c.keys.length ? ` (${c.keys.map(k => `\`${md(k)}\``).join(', ')})` : ''}`).join('<br>');
}

function since(d: KindDefinition): string {
  if (d.v0Kind === d.kind) return d.chartReleases.includes('v0.41.11') ? 'v0.41' : `v0.41 (library: ${short(d.since)})`;
  if (d.v0Kind) return `${short(d.since)} (v0.41: ${d.v0Kind})`;
  return short(d.since);
}

/** The table, one row per kind of the registry. */
export function kindsTable(): string {
  const rows = REGISTRY.all().map(d => `| ${d.kind} | \`${CONSTRUCT_OF_KIND[d.kind] ?? '?'}\` | \`${d.chart}\` | ${inherits(d)} | ${credentials(d)} | ${since(d)} |`);
  return ['| kind | construct | chart | inherits | credentials (Secret, keys) | since |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

/** README.md with the table between the markers replaced. */
export function withTable(readme: string): string {
  const a = readme.indexOf(TABLE_START);
  const b = readme.indexOf(TABLE_END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${TABLE_START} ... ${TABLE_END} block`);
  return `${readme.slice(0, a + TABLE_START.length)}\n${kindsTable()}\n${readme.slice(b)}`;
}

if (require.main === module) {
  const file = path.join(__dirname, '..', 'README.md');
  fs.writeFileSync(file, withTable(fs.readFileSync(file, 'utf8')));
}
