/**
 * charts/ is the library's copy of Cozystack's data, read at run time. These tests hold it
 * to the source in ../shared/cozystack: every ApplicationDefinition of the v1.6.2 catalogue
 * (and the six CozystackResourceDefinitions of v0.41.11) has chart data and a
 * definitions.json entry equal to what its file says, read here on its own rather than
 * through scripts/refresh-charts.ts. They need ../shared and fail without it: a check that
 * cannot run must not pass.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { TYPE_PREFIX } from '../scripts/gen-types';
import { KIND_HISTORY, refresh } from '../scripts/refresh-charts';
import { DEPRECATED_FIELDS } from '../src/generated/deprecations';

const ROOT = path.resolve(__dirname, '..');
const CHARTS_DIR = path.join(ROOT, 'charts');
const SHARED = path.resolve(ROOT, '..', 'shared', 'cozystack');
const CATALOGUE = path.join(SHARED, 'catalogue-v1.6.2');
const SUFFIX = '.applicationdefinition.yaml';

type Json = Record<string, any>;

function requireShared(dir: string): void {
  if (!fs.existsSync(dir)) {
    throw new Error(`${dir} is missing: these checks compare charts/ with Cozystack's own data and cannot run without it`);
  }
}

function readJson(file: string): Json {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function definitionFiles(dir: string): string[] {
  requireShared(dir);
  return fs.readdirSync(dir).filter(f => f.endsWith(SUFFIX)).sort();
}

/** What a definition file says, in the shape of a definitions.json entry. */
function expectedEntry(file: string): Json {
  const doc = YAML.parse(fs.readFileSync(file, 'utf8'));
  const { application, release, dashboard } = doc.spec;
  const visible = (key: string) => ({ include: doc.spec[key]?.include ?? [], exclude: doc.spec[key]?.exclude ?? [] });
  return {
    kind: application.kind,
    plural: application.plural,
    singular: application.singular,
    chart: doc.metadata.name,
    releasePrefix: release.prefix,
    module: dashboard?.module === true,
    tenantModule: release.labels?.['internal.cozystack.io/tenantmodule'] === 'true',
    chartRef: release.chartRef?.name ?? null,
    helmChart: release.chart ? { name: release.chart.name, repository: release.chart.sourceRef.name } : null,
    secrets: visible('secrets'),
    services: visible('services'),
    ingresses: visible('ingresses'),
  };
}

/** A schema without its prose, as the chart copy keeps it. */
function withoutProse(node: unknown, underProperties = false): unknown {
  if (Array.isArray(node)) return node.map(n => withoutProse(n));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (!underProperties && ['description', 'title', '$comment'].includes(k) && typeof v === 'string') continue;
    out[k] = k === 'properties' && !underProperties ? withoutProse(v, true) : withoutProse(v);
  }
  return out;
}

/** Every `description` text of a schema, with the field path it documents. */
function descriptions(schema: Json, at: string[] = [], out: Array<{ path: string; text: string }> = []) {
  if (typeof schema.description === 'string') out.push({ path: at.join('.'), text: schema.description });
  for (const [k, v] of Object.entries<Json>(schema.properties ?? {})) descriptions(v, [...at, k], out);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') descriptions(schema.additionalProperties, [...at, '*'], out);
  if (schema.items && typeof schema.items === 'object') descriptions(schema.items, [...at, '[]'], out);
  return out;
}

describe('the v1.6.2 catalogue', () => {
  const files = fs.existsSync(CATALOGUE) ? definitionFiles(CATALOGUE) : [];
  const definitions = readJson(path.join(CHARTS_DIR, 'v1.6.2', 'definitions.json'));

  test('../shared holds the 30 ApplicationDefinitions', () => {
    requireShared(CATALOGUE);
    expect(files).toHaveLength(30);
    expect(definitions.version).toBe('v1.6.2');
    expect(definitions.definitions.map((d: Json) => d.chart)).toEqual(files.map(f => f.slice(0, -SUFFIX.length)).sort());
  });

  test.each(files.map(f => [f.slice(0, -SUFFIX.length)]))('%s: chart data and definition as the files say', chart => {
    const { since, v0Kind, ...entry } = definitions.definitions.find((d: Json) => d.chart === chart);
    expect(entry).toEqual(expectedEntry(path.join(CATALOGUE, `${chart}${SUFFIX}`)));
    // What the file cannot say: when the kind arrived (scripts/refresh-charts.ts KIND_HISTORY).
    expect(since).toMatch(/^v1\.[0-6]\.0$/);
    expect(v0Kind === null || typeof v0Kind === 'string').toBe(true);

    const data = readJson(path.join(CHARTS_DIR, 'v1.6.2', `${chart}.json`));
    expect(Object.keys(data)).toEqual(['chart', 'version', 'values', 'schema']);
    expect(data.chart).toBe(chart);
    expect(data.version).toBe('v1.6.2');
    // YAML 1.1, as Helm (Go) reads values.yaml.
    expect(data.values).toEqual(YAML.parse(fs.readFileSync(path.join(CATALOGUE, `${chart}.values.yaml`), 'utf8'), { version: '1.1' }) ?? {});
    expect(data.schema).toEqual(withoutProse(readJson(path.join(CATALOGUE, `${chart}.values.schema.json`))));
  });

  test('the release history of the kinds', () => {
    const by = Object.fromEntries(definitions.definitions.map((d: Json) => [d.kind, d]));
    expect(by.KubernetesNodes.since).toBe('v1.6.0');
    expect(by.OpenBAO.since).toBe('v1.1.0');
    expect(by.MariaDB.v0Kind).toBe('MySQL');
    expect(by.Harbor.v0Kind).toBeNull();
    // The six kinds with v0.41.11 definitions in ../shared agree with the history table.
    const v0 = readJson(path.join(CHARTS_DIR, 'v0.41.11', 'definitions.json')).definitions as Json[];
    for (const d of v0) expect(KIND_HISTORY.v0Kind[d.chart]).toBe(d.kind);
    // Every chart the table names is in the catalogue.
    const charts = definitions.definitions.map((d: Json) => d.chart);
    expect(charts).toEqual(expect.arrayContaining([...Object.keys(KIND_HISTORY.since), ...Object.keys(KIND_HISTORY.v0Kind)]));
  });

  test('every kind has a generated value interface', () => {
    requireShared(CATALOGUE);
    const missing = files.map(f => f.slice(0, -SUFFIX.length)).filter(chart => {
      const file = path.join(ROOT, 'src', 'generated', `${chart}-values.ts`);
      return !TYPE_PREFIX[chart] || !fs.existsSync(file)
        || !fs.readFileSync(file, 'utf8').includes(`export interface ${TYPE_PREFIX[chart]}Values {`);
    });
    expect(missing).toEqual([]);
  });

  test('DEPRECATED_FIELDS lists exactly the fields the schemas mark deprecated', () => {
    requireShared(CATALOGUE);
    const marked = files.flatMap(f => {
      const chart = f.slice(0, -SUFFIX.length);
      return descriptions(readJson(path.join(CATALOGUE, `${chart}.values.schema.json`)))
        .filter(d => /deprecat/i.test(d.text)).map(d => `${chart} ${d.path}`);
    });
    expect(DEPRECATED_FIELDS.map(d => `${d.chart} ${d.path}`).sort()).toEqual(marked.sort());
  });

  test('no upstream description is copied into the generated types or the field notes', () => {
    requireShared(CATALOGUE);
    const ours = [
      ...fs.readdirSync(path.join(ROOT, 'src', 'generated')).map(f => path.join(ROOT, 'src', 'generated', f)),
      path.join(ROOT, 'scripts', 'field-docs.ts'),
    ].map(f => fs.readFileSync(f, 'utf8').replace(/\s*\n\s*\*?\s*/g, ' ')).join('\n');
    const copied = files.flatMap(f => descriptions(readJson(path.join(CATALOGUE, f.replace(SUFFIX, '.values.schema.json')))))
      // Sentences long enough to be prose rather than a name ("Number of replicas.").
      .flatMap(d => d.text.split(/(?<=\.)\s+/).filter(s => s.length >= 40).map(s => ({ ...d, sentence: s })))
      .filter(d => ours.includes(d.sentence));
    expect(copied.map(d => `${d.path}: ${d.sentence}`)).toEqual([]);
  });
});

describe('v0.41.11', () => {
  const dir = path.join(SHARED, 'v0.41.11');

  test('each CozystackResourceDefinition has chart data and an entry as its file says', () => {
    const files = definitionFiles(dir);
    const definitions = readJson(path.join(CHARTS_DIR, 'v0.41.11', 'definitions.json'));
    expect(files).toHaveLength(6);
    expect(definitions.definitions).toEqual(files.map(f => expectedEntry(path.join(dir, f))));
    for (const f of files) {
      const chart = f.slice(0, -SUFFIX.length);
      const data = readJson(path.join(CHARTS_DIR, 'v0.41.11', `${chart}.json`));
      expect(data.schema).toEqual(withoutProse(readJson(path.join(dir, `${chart}.values.schema.json`))));
    }
  });
});

describe('scripts/refresh-charts.ts', () => {
  test('writes exactly the committed charts/ from ../shared', () => {
    requireShared(SHARED);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'refresh-charts-'));
    try {
      expect(refresh(SHARED, tmp)).toBeGreaterThan(40);
      const list = (d: string) => fs.readdirSync(d, { recursive: true }).map(String).sort();
      expect(list(tmp)).toEqual(list(CHARTS_DIR));
      for (const f of list(tmp)) {
        if (fs.statSync(path.join(tmp, f)).isFile()) expect(`${f}\n${fs.readFileSync(path.join(tmp, f), 'utf8')}`).toBe(`${f}\n${fs.readFileSync(path.join(CHARTS_DIR, f), 'utf8')}`);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('keeps the committed copy when the shared data is missing', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'refresh-charts-'));
    try {
      expect(refresh(path.join(tmp, 'no-such-dir'), path.join(tmp, 'out'))).toBeUndefined();
      expect(fs.existsSync(path.join(tmp, 'out'))).toBe(false);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('charts/ stays small enough for the package', () => {
    // The whole npm package must stay under 2 MB; the chart copy is its largest data. The validators
    // generated from it (charts/<release>/validators/*.js) are code that packs about eight to one: test/pack.test.ts
    // holds them to the package's limit.
    const bytes = (fs.readdirSync(CHARTS_DIR, { recursive: true }) as string[])
      .filter(f => f.endsWith('.json')).map(f => path.join(CHARTS_DIR, f)).filter(f => fs.statSync(f).isFile())
      .reduce((sum, f) => sum + fs.statSync(f).size, 0);
    expect(bytes).toBeLessThan(600 * 1024);
  });
});
