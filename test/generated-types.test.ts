/**
 * The generated chart-value types (src/generated) must let users set every value every
 * supported chart release accepts. This test walks each schema of v1.6.2 (all 30 charts of
 * the catalogue) and v0.41.11 (the six the library has data for) on its own (it does not
 * reuse the generator's walk) and resolves every field path in the generated
 * `<Name>Values` type with the TypeScript compiler, through interfaces, arrays and index
 * signatures. It also proves the committed output is what the generator writes today, so
 * the types can never go stale against charts/.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { generate, HEADER, RESERVED_NAMES, TYPE_PREFIX } from '../scripts/gen-types';
import * as generated from '../src/generated';
import { DEPRECATED_FIELDS } from '../src/generated/deprecations';

const ROOT = path.resolve(__dirname, '..');
const CHARTS_DIR = path.join(ROOT, 'charts');
const GENERATED_DIR = path.join(ROOT, 'src', 'generated');
const RELEASES = ['v1.6.2', 'v0.41.11'];
const OTHER_RELEASE: Record<string, string> = { 'v1.6.2': 'v0.41.11', 'v0.41.11': 'v1.6.2' };
/** The six charts typed from both releases, and their value types. */
const CORE: Record<string, string> = {
  tenant: 'TenantValues',
  etcd: 'EtcdValues',
  ingress: 'IngressValues',
  monitoring: 'MonitoringValues',
  kubernetes: 'KubernetesValues',
  postgres: 'PostgresValues',
};
/** Every chart of the v1.6.2 catalogue and its value type. */
const CHARTS: Record<string, string> = Object.fromEntries(
  (JSON.parse(fs.readFileSync(path.join(CHARTS_DIR, 'v1.6.2', 'definitions.json'), 'utf8')).definitions as Array<{ chart: string }>)
    .map(d => [d.chart, `${TYPE_PREFIX[d.chart]}Values`]),
);
const releasesOf = (chart: string) => RELEASES.filter(r => fs.existsSync(path.join(CHARTS_DIR, r, `${chart}.json`)));

/**
 * Fields whose generated type is deliberately wider or narrower than one release's schema.
 * v0.41's postgres chart types `postgresql.parameters` as an object with one integer field;
 * v1.6 makes it a map of int-or-string, which the generated type follows (a string map).
 */
const KNOWN_TYPE_EXCEPTIONS = new Set(['v0.41.11 postgres postgresql.parameters.max_connections']);

type Schema = Record<string, any>;

interface Field {
  /** Property names, `*` for a map's values, `[]` for a list's items. */
  readonly path: string[];
  readonly schema: Schema;
  /** The parent object lists this property as required. */
  readonly required: boolean;
}

function loadChart(release: string, chart: string): { values: unknown; schema: Schema } {
  return JSON.parse(fs.readFileSync(path.join(CHARTS_DIR, release, `${chart}.json`), 'utf8'));
}

function walk(schema: Schema, prefix: string[] = [], out: Field[] = []): Field[] {
  for (const [name, child] of Object.entries<Schema>(schema.properties ?? {})) {
    const p = [...prefix, name];
    out.push({ path: p, schema: child, required: (schema.required ?? []).includes(name) });
    walk(child, p, out);
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    const p = [...prefix, '*'];
    out.push({ path: p, schema: schema.additionalProperties, required: false });
    walk(schema.additionalProperties, p, out);
  }
  if (schema.items && typeof schema.items === 'object') {
    const p = [...prefix, '[]'];
    out.push({ path: p, schema: schema.items, required: false });
    walk(schema.items, p, out);
  }
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    for (const alt of schema[key] ?? []) {
      if (alt.properties || alt.items || typeof alt.additionalProperties === 'object') walk(alt, prefix, out);
    }
  }
  return out;
}

function label(p: string[]): string {
  return p.join('.').replace(/\.\[\]/g, '[]');
}

// ---------------------------------------------------------------- the compiled types

/** The compiler's type and symbol flags are bit sets. */
function has(flags: number, flag: number): boolean {
  // eslint-disable-next-line no-bitwise
  return (flags & flag) !== 0;
}

const program = ts.createProgram([path.join(GENERATED_DIR, 'index.ts')], {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Node16,
  moduleResolution: ts.ModuleResolutionKind.Node16,
  types: [],
});
const checker = program.getTypeChecker();
const indexFile = program.getSourceFile(path.join(GENERATED_DIR, 'index.ts'))!;
const exportsOfIndex = checker.getExportsOfModule(checker.getSymbolAtLocation(indexFile)!);

function exportedType(name: string): ts.Type {
  const sym = exportsOfIndex.find(s => s.name === name);
  if (!sym) throw new Error(`src/generated does not export ${name}`);
  const target = has(sym.flags, ts.SymbolFlags.Alias) ? checker.getAliasedSymbol(sym) : sym;
  return checker.getDeclaredTypeOfSymbol(target);
}

interface Step {
  readonly type: ts.Type;
  /** The property symbol the last step went through, if any (index signatures have none). */
  readonly symbol?: ts.Symbol;
}

function stringIndex(t: ts.Type): ts.Type | undefined {
  return checker.getIndexInfoOfType(t, ts.IndexKind.String)?.type;
}

/** Resolves `fieldPath` from `root` or throws, saying which segment is not reachable. */
function resolve(root: ts.Type, fieldPath: string[]): Step {
  let step: Step = { type: root };
  fieldPath.forEach((seg, i) => {
    const t = checker.getNonNullableType(step.type);
    const where = () => `${label(fieldPath.slice(0, i + 1))} (at type ${checker.typeToString(t)})`;
    if (has(t.flags, ts.TypeFlags.Any)) {
      step = { type: t };
    } else if (seg === '[]') {
      const item = checker.isArrayType(t) ? checker.getTypeArguments(t as ts.TypeReference)[0] : undefined;
      if (!item) throw new Error(`not a list: ${where()}`);
      step = { type: item };
    } else if (seg === '*') {
      const value = stringIndex(t);
      if (!value) throw new Error(`not a map: ${where()}`);
      step = { type: value };
    } else {
      const prop = checker.getPropertyOfType(t, seg);
      if (prop) {
        step = { type: checker.getTypeOfSymbol(prop), symbol: prop };
      } else {
        const value = stringIndex(t);
        if (!value) throw new Error(`no property: ${where()}`);
        step = { type: value };
      }
    }
  });
  return step;
}

/** Whether the generated type can hold what the schema describes (jsii mapping rules). */
function typeFits(schema: Schema, raw: ts.Type): boolean {
  const t = checker.getNonNullableType(raw);
  if (has(t.flags, ts.TypeFlags.Any)) {
    // Only for values the schema leaves open.
    return !schema.type || (schema.type === 'object' && !schema.properties && !schema.additionalProperties)
      || (schema.type === 'object' && schema['x-kubernetes-preserve-unknown-fields'] === true);
  }
  const intOrString = schema['x-kubernetes-int-or-string'] || (schema.anyOf ?? []).some((a: Schema) => a.type === 'string');
  if (intOrString) return has(t.flags, ts.TypeFlags.String);
  switch (schema.type) {
    case 'string': return has(t.flags, ts.TypeFlags.String);
    case 'integer': case 'number': return has(t.flags, ts.TypeFlags.Number);
    case 'boolean': return has(t.flags, ts.TypeFlags.Boolean);
    case 'array': return checker.isArrayType(t);
    case 'object': {
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') return !!stringIndex(t);
      if (schema['x-kubernetes-preserve-unknown-fields'] || !schema.properties) {
        const v = stringIndex(t);
        return !!v && has(v.flags, ts.TypeFlags.Any);
      }
      // Declared fields as properties, or a map whose values each field is then checked against.
      return has(t.flags, ts.TypeFlags.Object) && (checker.getPropertiesOfType(t).length > 0 || !!stringIndex(t));
    }
    case undefined: return true;
    default: return false;
  }
}

function docOf(sym: ts.Symbol): string {
  const text = ts.displayPartsToString(sym.getDocumentationComment(checker));
  const tags = sym.getJsDocTags(checker).map(tag => `@${tag.name} ${ts.displayPartsToString(tag.text)}`);
  return [text, ...tags].join('\n').replace(/\s+/g, ' ');
}

function isReadonlyOptional(sym: ts.Symbol): boolean {
  const decl = sym.valueDeclaration ?? sym.declarations?.[0];
  if (!decl || !ts.isPropertySignature(decl)) return false;
  const readonly = has(ts.getCombinedModifierFlags(decl), ts.ModifierFlags.Readonly);
  return readonly && !!decl.questionToken;
}

// ---------------------------------------------------------------- tests

describe('every chart field is reachable in the generated types', () => {
  const summary: string[] = [];
  afterAll(() => {
    // One line per chart and release, for the report and for CI logs.
    console.log(`fields reachable in src/generated:\n${summary.join('\n')}`);
  });

  for (const [chart, typeName] of Object.entries(CHARTS)) {
    for (const release of releasesOf(chart)) {
      test(`${release} ${chart} -> ${typeName}`, () => {
        const { schema } = loadChart(release, chart);
        const both = releasesOf(chart).length > 1;
        const other = both ? walk(loadChart(OTHER_RELEASE[release], chart).schema).map(f => label(f.path)) : [];
        const root = exportedType(typeName);
        const fields = walk(schema);
        const problems: string[] = [];
        for (const field of fields) {
          const name = label(field.path);
          let step: Step;
          try {
            step = resolve(root, field.path);
          } catch (e) {
            problems.push(`${name}: ${(e as Error).message}`);
            continue;
          }
          if (!typeFits(field.schema, step.type) && !KNOWN_TYPE_EXCEPTIONS.has(`${release} ${chart} ${name}`)) {
            problems.push(`${name}: schema ${JSON.stringify(field.schema.type ?? field.schema.anyOf)} but type ${checker.typeToString(step.type)}`);
          }
          if (!step.symbol) continue; // reached through an index signature or `any`
          if (!isReadonlyOptional(step.symbol)) problems.push(`${name}: not a readonly optional property`);
          const doc = docOf(step.symbol);
          if (!/@default \S/.test(doc)) problems.push(`${name}: no @default in its doc`);
          if (field.required && !doc.includes('Required by the chart')) problems.push(`${name}: required, but its doc does not say so`);
          if (both && !other.includes(name)) {
            const phrase = release === 'v0.41.11' ? 'Cozystack v0.41 only.' : 'Not in Cozystack v0.41.';
            if (!doc.includes(phrase)) problems.push(`${name}: only in ${release}, but its doc lacks "${phrase}"`);
          }
          for (const v of field.schema.enum ?? []) {
            if (!doc.includes(JSON.stringify(v))) problems.push(`${name}: doc does not list the allowed value ${JSON.stringify(v)}`);
          }
        }
        expect(problems).toEqual([]);
        // The info chart has no values; its type exists all the same (see 'generated type names').
        if (chart !== 'info') expect(fields.length).toBeGreaterThan(0);
        summary.push(`  ${release} ${chart}: ${fields.length} field paths`);
      });
    }
  }

  test('the resolver rejects paths the types do not have', () => {
    const k = exportedType('KubernetesValues');
    expect(() => resolve(k, ['nodeGroups', '*', 'noSuchField'])).toThrow(/no property: nodeGroups\.\*\.noSuchField/);
    expect(() => resolve(k, ['version', '[]'])).toThrow(/not a list/);
    expect(() => resolve(k, ['addons', '*'])).toThrow(/not a map/);
    // A free-form object resolves anything below it; a typed one does not.
    expect(has(resolve(k, ['addons', 'cilium', 'valuesOverride', 'any', 'thing']).type.flags, ts.TypeFlags.Any)).toBe(true);
    expect(typeFits({ type: 'integer' }, resolve(k, ['host']).type)).toBe(false);
  });

  test('a field added to a schema is reported unreachable', () => {
    const { schema } = loadChart('v1.6.2', 'postgres');
    schema.properties.backup.properties.newThing = { type: 'string' };
    const root = exportedType('PostgresValues');
    const missing = walk(schema).filter(f => {
      try {
        resolve(root, f.path);
        return false;
      } catch {
        return true;
      }
    });
    expect(missing.map(f => label(f.path))).toEqual(['backup.newThing']);
  });
});

describe('enumerated values', () => {
  /** Every exported constant class, as value -> class names. */
  const constants = new Map<string, string[]>();
  for (const [name, value] of Object.entries(generated)) {
    if (typeof value !== 'function') continue;
    for (const [member, v] of Object.entries(value)) {
      if (typeof v !== 'string') continue;
      expect(member).toMatch(/^[A-Z][A-Z0-9_]*$/);
      constants.set(v, [...(constants.get(v) ?? []), name]);
    }
  }

  test('each enum of each schema has a constant class with all its values', () => {
    const problems: string[] = [];
    for (const chart of Object.keys(CHARTS)) {
      for (const release of releasesOf(chart)) {
        for (const field of walk(loadChart(release, chart).schema)) {
          if (!field.schema.enum) continue;
          const classes = field.schema.enum.map((v: string) => new Set(constants.get(v) ?? []));
          const common = [...classes[0]].filter(c => classes.every((s: Set<string>) => s.has(c)));
          if (common.length === 0) problems.push(`${release} ${chart} ${label(field.path)}: no class holds all of ${field.schema.enum.join(', ')}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('named as documented, deduplicated across charts', () => {
    const g = generated as Record<string, any>;
    expect(g.ResourcesPreset.T1_MICRO).toBe('t1.micro');
    expect(g.ResourcesPreset.SIZE_2XLARGE).toBe('2xlarge');
    expect(g.KubernetesVersion.V1_35).toBe('v1.35');
    expect(g.PostgresVersion.V18).toBe('v18');
    expect(g.OidcMode.CUSTOM_CONFIG).toBe('CustomConfig');
    expect(g.IngressNginxExposeMethod.LOAD_BALANCER).toBe('LoadBalancer');
    expect(constants.get('t1.micro')).toEqual(['ResourcesPreset']);
    expect(constants.get('CustomConfig')).toEqual(['OidcMode']);
  });
});

describe('the committed output', () => {
  test('is exactly what the generator writes from charts/', () => {
    const expected = generate(CHARTS_DIR);
    const committed = fs.readdirSync(GENERATED_DIR).filter(f => f.endsWith('.ts')).sort();
    expect(committed).toEqual([...expected.keys()].sort());
    for (const [name, text] of expected) {
      // toBe on the whole text shows a diff; the message says how to fix it.
      const actual = fs.readFileSync(path.join(GENERATED_DIR, name), 'utf8');
      if (actual !== text) throw new Error(`src/generated/${name} is stale: run \`ts-node -P test/tsconfig.json scripts/gen-types.ts\``);
    }
  });

  test('is deterministic and every file carries the generated header', () => {
    const a = generate(CHARTS_DIR);
    const b = generate(CHARTS_DIR);
    expect([...a.entries()]).toEqual([...b.entries()]);
    for (const text of a.values()) expect(text.startsWith(`${HEADER}\n`)).toBe(true);
  });

  test('follows the chart copy: a changed schema changes the types', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-types-'));
    try {
      fs.cpSync(CHARTS_DIR, tmp, { recursive: true });
      const data = loadChart('v1.6.2', 'etcd') as any;
      data.schema.properties.snapshotSchedule = { type: 'string', enum: ['hourly', 'daily'] };
      data.values.snapshotSchedule = 'daily';
      fs.writeFileSync(path.join(tmp, 'v1.6.2', 'etcd.json'), JSON.stringify(data));
      const files = generate(tmp);
      const etcd = files.get('etcd-values.ts')!;
      expect(etcd).toContain('readonly snapshotSchedule?: string;');
      expect(etcd).toContain('@default "daily" (chart default)');
      expect(etcd).toContain('Not in Cozystack v0.41.');
      expect(files.get('enums.ts')).toContain('export class EtcdSnapshotSchedule {');
      expect(files.get('enums.ts')).toContain('public static readonly HOURLY = \'hourly\';');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

/** Every hand-written source file below src/, generated types excluded. */
function handWrittenSources(dir = path.join(ROOT, 'src')): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return p === GENERATED_DIR ? [] : handWrittenSources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('generated type names', () => {
  test('do not collide with the hand-written API', () => {
    const handWritten = new Set<string>(RESERVED_NAMES);
    const sources = handWrittenSources();
    expect(sources.length).toBeGreaterThan(10);
    for (const f of sources) {
      const sf = ts.createSourceFile(f, fs.readFileSync(f, 'utf8'), ts.ScriptTarget.ES2022);
      for (const stmt of sf.statements) {
        const exported = ts.canHaveModifiers(stmt) && ts.getModifiers(stmt)?.some(m => m.kind === ts.SyntaxKind.ExportKeyword);
        const name = (stmt as { name?: ts.Identifier }).name;
        if (exported && name && ts.isIdentifier(name)) handWritten.add(name.text);
      }
    }
    const clashes = exportsOfIndex.map(s => s.name).filter(n => handWritten.has(n));
    expect(clashes).toEqual([]);
    expect(exportsOfIndex.map(s => s.name)).toEqual(expect.arrayContaining(Object.values(CHARTS)));
  });
});

describe('value types of the catalogue', () => {
  test('one per chart, named after the construct that takes its values', () => {
    expect(Object.values(CHARTS).sort()).toEqual([
      'BootBoxValues', 'BucketValues', 'ClickHouseValues', 'EtcdValues', 'ExternalDNSValues', 'FoundationDBValues',
      'HTTPCacheValues', 'HarborValues', 'InfoValues', 'IngressValues', 'KafkaValues', 'KubernetesNodesValues',
      'KubernetesValues', 'MariaDBValues', 'MongoDBValues', 'MonitoringValues', 'NatsValues', 'OpenBAOValues',
      'OpenSearchValues', 'PostgresValues', 'QdrantValues', 'RabbitMQValues', 'RedisValues', 'SeaweedFSValues',
      'TCPBalancerValues', 'TenantValues', 'VMDiskValues', 'VMInstanceValues', 'VirtualPrivateCloudValues', 'VpnValues',
    ]);
    for (const name of Object.values(CHARTS)) expect(() => exportedType(name)).not.toThrow();
    // The six charts with two releases keep their names.
    for (const [chart, name] of Object.entries(CORE)) expect(CHARTS[chart]).toBe(name);
  });

  const docAt = (chart: string, fieldPath: string) => {
    const step = resolve(exportedType(CHARTS[chart]), fieldPath.split('.'));
    if (!step.symbol) throw new Error(`${chart} ${fieldPath} has no property of its own`);
    return docOf(step.symbol);
  };

  test('cron fields say which cron flavour they take', () => {
    // CloudNativePG reads seconds first (robfig/cron v1); CronJobs and the Percona operator take the usual 5 fields.
    expect(docAt('postgres', 'backup.schedule')).toMatch(/6-field cron expression whose first field is seconds/);
    for (const chart of ['clickhouse', 'mariadb', 'mongodb']) {
      expect(docAt(chart, 'backup.schedule')).toMatch(/standard 5-field cron expression/);
    }
  });

  test('units and durations are spelled out', () => {
    expect(docAt('postgres', 'resources.cpu')).toMatch(/CPU in cores/);
    expect(docAt('redis', 'size')).toMatch(/disk space/);
    expect(docAt('kubernetes', 'nodeHealthCheck.nodeStartupTimeout')).toMatch(/duration in Go syntax/);
    expect(docAt('monitoring', 'metricsStorages.[].retentionPeriod')).toMatch(/bare number counts months/);
    expect(docAt('mongodb', 'backup.retentionPolicy')).toMatch(/counts backups, not days/);
  });

  test('every deprecated field carries @deprecated with its release and replacement', () => {
    expect(DEPRECATED_FIELDS.length).toBeGreaterThan(0);
    for (const d of DEPRECATED_FIELDS) {
      const doc = docAt(d.chart, d.path);
      expect(doc).toContain(`@deprecated since Cozystack ${d.since}: use ${d.replacement}`);
      if (d.replacementField) expect(() => docAt(d.chart, d.replacementField!)).not.toThrow();
    }
    expect(DEPRECATED_FIELDS.map(d => `${d.kind} ${d.path}`)).toEqual(expect.arrayContaining([
      'Postgres backup.s3CredentialsSecret', 'Postgres backup.destinationPath', 'Postgres backup.endpointURL', 'VMInstance subnets',
    ]));
  });

  test('deprecations stay internal: the package index does not export them', () => {
    expect(exportsOfIndex.map(s => s.name)).not.toContain('DEPRECATED_FIELDS');
    expect(exportsOfIndex.map(s => s.name)).not.toContain('DeprecatedField');
  });
});
