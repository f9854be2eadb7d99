/**
 * The chart-schema validators are generated at build time (scripts/gen-validators.ts) into
 * charts/<release>/validators/ and loaded by validator() in src/domain/charts.ts; a chart without
 * one is compiled at run time. These tests hold the committed modules to the chart schemas, and the
 * two ways of validating to the same verdicts and the same errors, which describe() turns into the
 * messages users read.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import Ajv from 'ajv';
import { chartsOf, generate, header, RELEASES } from '../scripts/gen-validators';
import { ChartName, chartData, SchemaValidator, validateSpec, validator, VALIDATOR_OPTIONS, validatorFile } from '../src/domain/charts';

const ROOT = path.resolve(__dirname, '..');
const CHARTS_DIR = path.join(ROOT, 'charts');

type Schema = Record<string, any>;

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The JSON Schema type of a value (`integer` for whole numbers, which `number` also accepts). */
function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** The types a schema node accepts, from `type` or its anyOf branches; undefined when it says nothing. */
function acceptedTypes(schema: Schema): Set<string> | undefined {
  const types = new Set<string>();
  for (const node of [schema, ...(Array.isArray(schema.anyOf) ? schema.anyOf : [])]) {
    for (const t of [node.type].flat()) if (typeof t === 'string') types.add(t);
  }
  if (types.size === 0) return undefined;
  if (types.has('number')) types.add('integer');
  return types;
}

/** Values for the wrong-type cases: numbers written as strings, strings as numbers, and the like. */
const WRONG_TYPES: unknown[] = ['12', 12, 1.5, true, [], {}, null];

/**
 * Invalid replacements for the value `base` that `schema` describes, derived from the schema's
 * structure: a wrong type, a value outside an enum, one that misses a pattern, numbers beyond
 * bounds, an object missing each required field or holding an unknown one, and every such case
 * of each field, list item and map value below, placed in `base`.
 */
function invalidValues(schema: Schema, base: unknown): unknown[] {
  const out: unknown[] = [];
  const types = acceptedTypes(schema);
  const wrong = types && WRONG_TYPES.find(v => !types.has(jsonType(v)));
  if (wrong !== undefined) out.push(wrong);
  if (Array.isArray(schema.enum)) out.push(schema.enum.every((v: unknown) => typeof v === 'string') ? 'no-such-value' : { none: 'of these' });
  if (typeof schema.pattern === 'string') out.push('!does not match!');
  for (const [keyword, step] of [['minimum', -1], ['exclusiveMinimum', 0], ['maximum', 1], ['exclusiveMaximum', 0]] as const) {
    if (typeof schema[keyword] === 'number') out.push(schema[keyword] + step);
  }
  const obj = isPlainObject(base) ? base : {};
  for (const [key, sub] of Object.entries<Schema>(schema.properties ?? {})) {
    for (const v of invalidValues(sub, obj[key])) out.push({ ...obj, [key]: v });
  }
  for (const key of Array.isArray(schema.required) ? schema.required : []) {
    const { [key]: _dropped, ...rest } = obj;
    out.push(rest);
  }
  if (schema.additionalProperties === false) out.push({ ...obj, noSuchField: 'x' });
  if (isPlainObject(schema.additionalProperties)) {
    const key = Object.keys(obj).find(k => !(k in (schema.properties ?? {}))) ?? 'someKey';
    for (const v of invalidValues(schema.additionalProperties, obj[key])) out.push({ ...obj, [key]: v });
  }
  if (isPlainObject(schema.items)) {
    const list = Array.isArray(base) ? base : [];
    for (const v of invalidValues(schema.items, list[0])) out.push([v, ...list.slice(1)]);
  }
  return out;
}

/** The keywords a schema validates with, below it too (those invalidValues() makes cases for). */
function keywordsOf(schema: Schema): string[] {
  const out = ['type', 'enum', 'pattern', 'anyOf', 'required', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']
    .filter(k => schema[k] !== undefined);
  if (schema.additionalProperties === false) out.push('additionalProperties');
  const below: Schema[] = [...Object.values<Schema>(schema.properties ?? {}), ...(schema.anyOf ?? [])];
  for (const sub of [schema.items, schema.additionalProperties]) if (isPlainObject(sub)) below.push(sub);
  return [...new Set([...out, ...below.flatMap(keywordsOf)])];
}

interface Outcome {
  readonly valid: boolean;
  readonly errors: unknown;
}

function outcome(validate: SchemaValidator, doc: unknown): Outcome {
  const valid = validate(doc);
  // A copy: the next call replaces `errors`.
  return { valid, errors: structuredClone(validate.errors ?? null) };
}

const CHARTS: Array<[string, ChartName]> = RELEASES.flatMap(release =>
  chartsOf(CHARTS_DIR, release).map(chart => [release, chart as ChartName] as [string, ChartName]));

describe('the committed validators', () => {
  const expected = generate(CHARTS_DIR);

  test('are exactly what the generator writes from charts/', () => {
    const committed = fs.readdirSync(CHARTS_DIR)
      .filter(release => fs.existsSync(path.join(CHARTS_DIR, release, 'validators')))
      .flatMap(release => fs.readdirSync(path.join(CHARTS_DIR, release, 'validators')).map(f => `${release}/validators/${f}`))
      .sort();
    expect(committed).toEqual([...expected.keys()].sort());
    for (const [rel, text] of expected) {
      // The message says how to fix it; a diff of generated code would not.
      if (fs.readFileSync(path.join(CHARTS_DIR, rel), 'utf8') !== text) {
        throw new Error(`charts/${rel} is stale: run \`npx projen gen-validators\``);
      }
    }
  });

  test('cover every chart of the releases the library validates against, each with its header', () => {
    expect(RELEASES).toEqual(expect.arrayContaining(['v0.41.11', 'v1.6.2']));
    expect(CHARTS.length).toBeGreaterThanOrEqual(36);
    for (const [release, chart] of CHARTS) {
      const text = expected.get(`${release}/validators/${chart}.js`);
      expect(text?.split('\n')[0]).toBe(header(release, chart));
      expect(header(release, chart)).toContain(`from charts/${release}/${chart}.json`);
    }
  });

  test('are deterministic and follow the schema', () => {
    const again = generate(CHARTS_DIR);
    expect([...again.entries()]).toEqual([...expected.entries()]);
    // A schema changed without regenerating is caught by the first test: the code differs.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-validators-'));
    try {
      for (const release of RELEASES) fs.cpSync(path.join(CHARTS_DIR, release), path.join(tmp, release), { recursive: true });
      const data = JSON.parse(fs.readFileSync(path.join(CHARTS_DIR, 'v1.6.2', 'etcd.json'), 'utf8'));
      data.schema.properties.replicas = { type: 'integer', minimum: 1 };
      fs.writeFileSync(path.join(tmp, 'v1.6.2', 'etcd.json'), JSON.stringify(data));
      const changed = generate(tmp);
      expect(changed.get('v1.6.2/validators/etcd.js')).not.toBe(expected.get('v1.6.2/validators/etcd.js'));
      expect(changed.get('v1.6.2/validators/etcd.js')).toContain('"#/properties/replicas/minimum"');
      expect(changed.get('v1.6.2/validators/tenant.js')).toBe(expected.get('v1.6.2/validators/tenant.js'));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('precompiled and compiled at run time', () => {
  const seen = new Map<string, number>();
  let documents = 0;
  afterAll(() => {
    // One line for the report and CI logs: how many invalid documents, by what ajv reported.
    console.log(`chart validators compared on ${documents} invalid documents, errors by keyword: ${[...seen].sort().map(([k, n]) => `${k} ${n}`).join(', ')}`);
  });

  /** Where two validators disagree on the chart's defaults and invalid documents. */
  function differences(a: SchemaValidator, b: SchemaValidator, docs: unknown[]): string[] {
    const out: string[] = [];
    for (const doc of docs) {
      const x = outcome(a, doc);
      const y = outcome(b, doc);
      if (!isDeepStrictEqual(x, y)) out.push(`${JSON.stringify(doc).slice(0, 200)}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
    }
    return out;
  }

  test.each(CHARTS)('%s %s: same verdicts and errors on the defaults and on invalid values', (release, chart) => {
    const { values, schema } = chartData(release, chart);
    const loaded = validator(release, chart);
    // validator() loaded the generated module rather than compiling.
    expect(loaded).toBe(jest.requireActual(validatorFile(CHARTS_DIR, release, chart)));
    const compiled = new Ajv(VALIDATOR_OPTIONS).compile(schema);

    const docs = [values, ...invalidValues(schema, values)];
    expect(differences(loaded, compiled, docs)).toEqual([]);
    let invalid = 0;
    for (const doc of docs) {
      const { valid, errors } = outcome(loaded, doc);
      if (valid) continue;
      invalid++;
      for (const e of errors as Array<{ keyword: string }>) seen.set(e.keyword, (seen.get(e.keyword) ?? 0) + 1);
    }
    documents += invalid;
    expect(outcome(loaded, values).valid).toBe(outcome(compiled, values).valid);
    // Every document but the defaults is meant to be invalid, and is.
    expect(invalid).toBe(docs.length - (outcome(compiled, values).valid ? 1 : 0));
    if (Object.keys(schema.properties ?? {}).length > 0) expect(invalid).toBeGreaterThan(0);
  });

  test('the comparison tells apart a validator made with other options', () => {
    const { values, schema } = chartData('v1.6.2', 'kubernetes');
    const firstErrorOnly = new Ajv({ ...VALIDATOR_OPTIONS, allErrors: false }).compile(schema);
    expect(differences(validator('v1.6.2', 'kubernetes'), firstErrorOnly, [values, ...invalidValues(schema, values)]).length).toBeGreaterThan(0);
  });

  test('the invalid documents reach every keyword the schemas use', () => {
    const used = new Set(CHARTS.flatMap(([release, chart]) => keywordsOf(chartData(release, chart).schema)));
    // Today: type, enum, pattern, anyOf (int-or-string) and required; no chart bounds a number or closes an object.
    expect(used.size).toBeGreaterThanOrEqual(5);
    expect([...used].filter(k => !seen.get(k))).toEqual([]);
  });
});

describe('loading', () => {
  /**
   * Runs `f` with src/domain/charts.ts loaded afresh, counting ajv's compiles and the validator
   * files it looks for; with `hide`, it finds none (a release the build did not generate for).
   * Everything that loads modules lazily must happen inside `f`, in the isolated registry.
   */
  function isolated(hide: boolean, f: (charts: typeof import('../src/domain/charts'), compiles: () => number, probed: string[]) => void): void {
    const probed: string[] = [];
    jest.isolateModules(() => {
      const real = jest.requireActual<typeof import('fs')>('fs');
      jest.doMock('fs', () => ({
        ...real,
        existsSync: (p: fs.PathLike) => {
          if (!String(p).includes(`${path.sep}validators${path.sep}`)) return real.existsSync(p);
          probed.push(path.relative(CHARTS_DIR, String(p)));
          return hide ? false : real.existsSync(p);
        },
      }));
      const ajv = jest.requireActual<typeof import('ajv')>('ajv');
      const compile = jest.spyOn(ajv.default.prototype, 'compile');
      f(jest.requireActual('../src/domain/charts'), () => compile.mock.calls.length, probed);
    });
    jest.dontMock('fs');
  }

  test('a chart without a generated validator is compiled at run time, once, and reports the same problems', () => {
    const spec = { replicas: 'three', size: '10 gigs', resources: { cpu: true }, noSuchField: 1 };
    const expected = validateSpec('v1.6.2', 'etcd', spec);
    expect(expected.length).toBeGreaterThan(2);
    isolated(true, (charts, compiles, probed) => {
      expect(charts.validateSpec('v1.6.2', 'etcd', spec)).toEqual(expected);
      expect(compiles()).toBe(1);
      expect(probed).toEqual([path.join('v1.6.2', 'validators', 'etcd.js')]);
      expect(charts.validateSpec('v1.6.2', 'etcd', {})).toEqual([]);
      expect(compiles()).toBe(1);
    });
  });

  test('a generated validator is loaded when its chart is first validated, and nothing is compiled', () => {
    isolated(false, (charts, compiles, probed) => {
      expect(probed).toEqual([]);
      charts.validateSpec('v0.41.11', 'postgres', { replicas: 'two' });
      charts.validateSpec('v0.41.11', 'postgres', {});
      expect(probed).toEqual([path.join('v0.41.11', 'validators', 'postgres.js')]);
      expect(compiles()).toBe(0);
    });
  });
});
