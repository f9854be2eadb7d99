/**
 * Refreshes `charts/` from Cozystack's chart data in `../shared/cozystack`.
 *
 * For each Cozystack version and chart we keep one JSON file holding the chart's
 * default values (what Helm merges under the user's values) and its values schema,
 * with upstream prose removed: no `description`, no comments. Beside them,
 * `definitions.json` holds what the version's ApplicationDefinitions (v0.x:
 * CozystackResourceDefinitions) say about each kind: its names, release prefix, whether
 * it is a tenant module, and which Secrets, Services and Ingresses tenants may see.
 * Their embedded OpenAPI schema (the chart schema again, with prose) and dashboard
 * texts are left out.
 *
 * A clone of this repository alone builds and tests from that copy (the package reads
 * `charts/` at run time); this script only refreshes it when the shared data is present.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { writeValidators } from './gen-validators';

const SHARED = process.env.COZYSTACK_SHARED_DIR ?? path.resolve(__dirname, '..', '..', 'shared', 'cozystack');
const OUT = path.resolve(__dirname, '..', 'charts');

/** The six charts the library first covered; every version folder has them. */
const CORE_CHARTS = ['tenant', 'etcd', 'ingress', 'monitoring', 'kubernetes', 'postgres'];

const DEFINITION_SUFFIX = '.applicationdefinition.yaml';

interface VersionSource {
  readonly version: string;
  /** Folder under `shared/cozystack`. */
  readonly dir: string;
  /**
   * `definitions`: every chart that has an ApplicationDefinition in `dir` (and write
   * `definitions.json`); otherwise this fixed list.
   */
  readonly charts: 'definitions' | readonly string[];
  /** Where a chart missing from `dir` is read instead. */
  readonly fallback?: string;
  /** Add KIND_HISTORY to its definitions. */
  readonly history?: boolean;
}

const VERSIONS: readonly VersionSource[] = [
  // The whole v1.6.2 catalogue (30 kinds); its six core files are byte-identical to the top-level copies.
  { version: 'v1.6.2', dir: 'catalogue-v1.6.2', charts: 'definitions', history: true },
  { version: 'v0.41.11', dir: 'v0.41.11', charts: 'definitions' },
  // `main` only carries the charts that differ from v1.6.2; the rest of the six are byte-identical
  // upstream. It has no ApplicationDefinitions of its own, so no definitions.json.
  { version: 'main-3c780ac', dir: 'main-3c780ac', charts: CORE_CHARTS, fallback: '.' },
];

/** Keys whose values are upstream prose, dropped recursively from schemas. */
const PROSE = new Set(['description', 'title', '$comment']);

export function stripProse(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripProse);
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      // `properties` maps field names to schemas: a field may itself be called "description".
      if (PROSE.has(k) && typeof v === 'string') continue;
      out[k] = k === 'properties' ? mapValues(v as Record<string, unknown>, stripProse) : stripProse(v);
    }
    return out;
  }
  return node;
}

function mapValues(o: Record<string, unknown>, f: (v: unknown) => unknown) {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}

/** One include or exclude rule for the Secrets/Services/Ingresses tenants may see. */
export interface ResourceSelector {
  /** Name templates (Go templates over `.name` and `.namespace`), as upstream writes them. */
  readonly resourceNames?: string[];
  readonly matchLabels?: Record<string, string>;
}

export interface ResourceRules {
  readonly include: ResourceSelector[];
  readonly exclude: ResourceSelector[];
}

/** One entry of `charts/<version>/definitions.json`. */
export interface Definition {
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  /** The chart's file name in charts/<version>/ (the definition's metadata.name), e.g. `vm-disk`. */
  readonly chart: string;
  /** `spec.release.prefix`; "" for modules, whose release name is fixed. */
  readonly releasePrefix: string;
  /** `spec.dashboard.module`: a per-tenant module (etcd, ingress, ...). */
  readonly module: boolean;
  /** The release label `internal.cozystack.io/tenantmodule`: the tenant chart installs it. */
  readonly tenantModule: boolean;
  /** v1: the ExternalArtifact the release takes its chart from; v0.x: null. */
  readonly chartRef: string | null;
  /** v0.x: the Helm chart and repository the release installs; v1: null. */
  readonly helmChart: { readonly name: string; readonly repository: string } | null;
  readonly secrets: ResourceRules;
  readonly services: ResourceRules;
  readonly ingresses: ResourceRules;
  /** Catalogue release only: the first v1 release that serves the kind (see KIND_HISTORY). */
  readonly since?: string;
  /** Catalogue release only: the kind that served this chart in v0.41.11, or null if none did. */
  readonly v0Kind?: string | null;
}

/**
 * What the definitions of one release cannot say: when each kind arrived. Read from the tags
 * of cozystack/cozystack (`git ls-tree <tag> packages/system`, the `*-rd/cozyrds/<chart>.yaml`
 * files of v0.41.11 and of v1.0.0 ... v1.6.0). Kinds not in `since` have been served since
 * v1.0.0; `v0Kind` lists every chart that v0.41.11 served, with its kind there (MariaDB was
 * MySQL, chart `mysql`).
 */
export const KIND_HISTORY: {
  readonly since: Readonly<Record<string, string>>;
  readonly v0Kind: Readonly<Record<string, string>>;
} = {
  since: { 'openbao': 'v1.1.0', 'external-dns': 'v1.2.0', 'opensearch': 'v1.2.0', 'kubernetes-nodes': 'v1.6.0' },
  v0Kind: {
    'bootbox': 'BootBox',
    'bucket': 'Bucket',
    'clickhouse': 'ClickHouse',
    'etcd': 'Etcd',
    'foundationdb': 'FoundationDB',
    'http-cache': 'HTTPCache',
    'info': 'Info',
    'ingress': 'Ingress',
    'kafka': 'Kafka',
    'kubernetes': 'Kubernetes',
    'mariadb': 'MySQL',
    'mongodb': 'MongoDB',
    'monitoring': 'Monitoring',
    'nats': 'NATS',
    'postgres': 'Postgres',
    'rabbitmq': 'RabbitMQ',
    'redis': 'Redis',
    'seaweedfs': 'SeaweedFS',
    'tcp-balancer': 'TCPBalancer',
    'tenant': 'Tenant',
    'virtualprivatecloud': 'VirtualPrivateCloud',
    'vm-disk': 'VMDisk',
    'vm-instance': 'VMInstance',
    'vpn': 'VPN',
  },
};

function selectors(list: unknown, where: string): ResourceSelector[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new Error(`${where}: expected a list`);
  return list.map((s, i) => {
    const known = ['resourceNames', 'matchLabels'];
    const unknown = Object.keys(s ?? {}).filter(k => !known.includes(k));
    if (unknown.length) throw new Error(`${where}[${i}]: unknown selector keys ${unknown.join(', ')}; teach scripts/refresh-charts.ts about them`);
    const out: { resourceNames?: string[]; matchLabels?: Record<string, string> } = {};
    if (s.resourceNames) out.resourceNames = [...s.resourceNames];
    if (s.matchLabels) out.matchLabels = { ...s.matchLabels };
    return out;
  });
}

function rules(spec: any, key: string, where: string): ResourceRules {
  const r = spec[key] ?? {};
  return { include: selectors(r.include, `${where}.${key}.include`), exclude: selectors(r.exclude, `${where}.${key}.exclude`) };
}

/** Reads one ApplicationDefinition (or v0.x CozystackResourceDefinition) file. */
export function readDefinition(file: string): Definition {
  const doc = YAML.parse(fs.readFileSync(file, 'utf8'));
  const where = path.basename(file);
  if (!['ApplicationDefinition', 'CozystackResourceDefinition'].includes(doc?.kind)) {
    throw new Error(`${where}: not an ApplicationDefinition (kind ${JSON.stringify(doc?.kind)})`);
  }
  const spec = doc.spec;
  const app = spec.application;
  const release = spec.release;
  return {
    kind: app.kind,
    plural: app.plural,
    singular: app.singular,
    chart: doc.metadata.name,
    releasePrefix: release.prefix ?? '',
    module: spec.dashboard?.module === true,
    tenantModule: release.labels?.['internal.cozystack.io/tenantmodule'] === 'true',
    chartRef: release.chartRef?.name ?? null,
    helmChart: release.chart ? { name: release.chart.name, repository: release.chart.sourceRef?.name } : null,
    secrets: rules(spec, 'secrets', where),
    services: rules(spec, 'services', where),
    ingresses: rules(spec, 'ingresses', where),
  };
}

function chartsOf(shared: string, source: VersionSource): string[] {
  if (source.charts !== 'definitions') return [...source.charts];
  return fs.readdirSync(path.join(shared, source.dir))
    .filter(f => f.endsWith(DEFINITION_SUFFIX))
    .map(f => f.slice(0, -DEFINITION_SUFFIX.length))
    .sort();
}

function writeJson(file: string, data: unknown) {
  fs.writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
}

/**
 * Writes the chart data of every version from `shared` into `out`, and the validators
 * generated from its schemas (scripts/gen-validators.ts). Returns the number of
 * files written, or undefined when `shared` does not exist (a clone without the shared
 * data keeps its committed copy).
 */
export function refresh(shared: string, out: string): number | undefined {
  if (!fs.existsSync(shared)) return undefined;
  let written = 0;
  for (const source of VERSIONS) {
    const { version, dir, fallback } = source;
    const outDir = path.join(out, version);
    fs.mkdirSync(outDir, { recursive: true });
    const charts = chartsOf(shared, source);
    for (const chart of charts) {
      let base = path.join(shared, dir);
      if (!fs.existsSync(path.join(base, `${chart}.values.schema.json`))) {
        if (!fallback) throw new Error(`${version}: ${chart}.values.schema.json is missing in ${base}`);
        base = path.join(shared, fallback);
      }
      const schema = JSON.parse(fs.readFileSync(path.join(base, `${chart}.values.schema.json`), 'utf8'));
      // YAML 1.1, as Helm (Go) reads values.yaml.
      const values = YAML.parse(fs.readFileSync(path.join(base, `${chart}.values.yaml`), 'utf8'), { version: '1.1' }) ?? {};
      writeJson(path.join(outDir, `${chart}.json`), { chart, version, values, schema: stripProse(schema) });
      written++;
    }
    if (source.charts === 'definitions') {
      const definitions = charts.map(c => readDefinition(path.join(shared, dir, `${c}${DEFINITION_SUFFIX}`)))
        .map(d => (source.history ? { ...d, since: KIND_HISTORY.since[d.chart] ?? 'v1.0.0', v0Kind: KIND_HISTORY.v0Kind[d.chart] ?? null } : d));
      for (const d of definitions) {
        if (!charts.includes(d.chart)) throw new Error(`${version}: definition ${d.kind} names chart ${d.chart}, which has no data`);
      }
      writeJson(path.join(outDir, 'definitions.json'), { version, definitions });
      written++;
    }
  }
  // The validators are generated from the schemas just written: stale ones would check the old schemas.
  return written + writeValidators(out);
}

function main() {
  const written = refresh(SHARED, OUT);
  if (written === undefined) {
    console.log(`refresh-charts: ${SHARED} not found; keeping the committed copy in charts/.`);
  } else {
    console.log(`refresh-charts: wrote ${written} files under charts/ from ${SHARED}`);
  }
}

if (require.main === module) {
  main();
}
