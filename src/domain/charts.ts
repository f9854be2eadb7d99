/**
 * Cozystack's chart data (default values and values schemas, copied into `charts/`)
 * and the check Helm performs on the server: chart defaults deep-merged with the
 * object's spec, validated against `values.schema.json`.
 */
import * as fs from 'fs';
import * as path from 'path';
import type Ajv from 'ajv';
import type { ErrorObject, Options } from 'ajv';
import { MESSAGES } from './rules';
import { closest, closestVersion } from './rules/common';

/**
 * The charts behind the `apps.cozystack.io` kinds this library emits: every chart of the
 * registry (charts/v1.6.2/definitions.json; test/catalogue-kinds.test.ts holds the two
 * lists together).
 * @internal
 */
export type ChartName =
  | 'bootbox' | 'bucket' | 'clickhouse' | 'etcd' | 'external-dns' | 'foundationdb' | 'harbor' | 'http-cache'
  | 'info' | 'ingress' | 'kafka' | 'kubernetes' | 'kubernetes-nodes' | 'mariadb' | 'mongodb' | 'monitoring'
  | 'nats' | 'openbao' | 'opensearch' | 'postgres' | 'qdrant' | 'rabbitmq' | 'redis' | 'seaweedfs'
  | 'tcp-balancer' | 'tenant' | 'virtualprivatecloud' | 'vm-disk' | 'vm-instance' | 'vpn';

/** @internal */
export interface ChartData {
  readonly chart: ChartName;
  readonly version: string;
  readonly values: Record<string, unknown>;
  readonly schema: Record<string, any>;
}

/** Where `charts/` is: beside `src/` in the repository and beside `lib/` in the package. */
const CHARTS_DIR = path.resolve(__dirname, '..', '..', 'charts');

const dataCache = new Map<string, ChartData>();
const validatorCache = new Map<string, SchemaValidator>();
let ajv: Ajv | undefined;

/**
 * The ajv options of every chart-schema validator, generated at build time by
 * scripts/gen-validators.ts or compiled at run time: both must report the same errors.
 * strict: false because the charts use Kubernetes extensions (x-kubernetes-*, x-cozystack-*).
 * @internal
 */
export const VALIDATOR_OPTIONS: Readonly<Options> = { allErrors: true, strict: false };

/** A chart's values-schema check: `errors` holds what the last call found (ajv's shape). @internal */
export interface SchemaValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** Whether the library holds a chart's data of a release (v0.41.11 has only the six charts of that time). @internal */
export function hasChartData(release: string, chart: ChartName): boolean {
  const key = `${release}/${chart}`;
  let has = presence.get(key);
  if (has === undefined) presence.set(key, has = dataCache.has(key) || fs.existsSync(path.join(CHARTS_DIR, release, `${chart}.json`)));
  return has;
}

const presence = new Map<string, boolean>();

/** The chart data of one chart release (e.g. `v1.6.2`). @internal */
export function chartData(release: string, chart: ChartName): ChartData {
  const key = `${release}/${chart}`;
  let data = dataCache.get(key);
  if (!data) {
    data = JSON.parse(fs.readFileSync(path.join(CHARTS_DIR, release, `${chart}.json`), 'utf8')) as ChartData;
    dataCache.set(key, data);
  }
  return data;
}

/** Where scripts/gen-validators.ts writes a chart's validator. @internal */
export function validatorFile(chartsDir: string, release: string, chart: string): string {
  return path.join(chartsDir, release, 'validators', `${chart}.js`);
}

/**
 * A chart's schema check, made on first use. Compiling a schema costs 5-40 ms, paid by every
 * process that synthesizes, so the build generates each validator as code beside the chart data
 * (scripts/gen-validators.ts) and only a chart without one (a copy of charts/ holding a release
 * the build did not see) is compiled here. Each module is loaded when its chart is first
 * validated, and ajv itself only when something must be compiled.
 * @internal
 */
export function validator(release: string, chart: ChartName): SchemaValidator {
  const key = `${release}/${chart}`;
  let v = validatorCache.get(key);
  if (!v) {
    const file = validatorFile(CHARTS_DIR, release, chart);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    v = fs.existsSync(file) ? require(file) as SchemaValidator : compileValidator(chartData(release, chart).schema);
    validatorCache.set(key, v);
  }
  return v;
}

function compileValidator(schema: Record<string, any>): SchemaValidator {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ajv ??= new (require('ajv') as typeof import('ajv')).default(VALIDATOR_OPTIONS);
  return ajv.compile(schema);
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Helm's coalescing of user values over chart defaults: maps merge key by key,
 * everything else (lists included) is replaced, and a `null` deletes the default.
 * @internal
 */
export function helmMerge(defaults: unknown, values: unknown): unknown {
  if (!isPlainObject(defaults) || !isPlainObject(values)) {
    return values === undefined ? defaults : values;
  }
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(values)) {
    if (v === null) delete out[k];
    else out[k] = helmMerge(defaults[k], v);
  }
  return out;
}

/** One problem found in a spec. @internal */
export interface SpecProblem {
  /** JSON path below `spec`, e.g. `nodeGroups.md0.diskSize`. */
  readonly path: string;
  readonly message: string;
}

function jsonPath(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').slice(1).map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  return ['spec', ...parts].join('.');
}

function schemaAt(schema: any, schemaPath: string): any {
  let node = schema;
  for (const part of schemaPath.replace(/^#\//, '').split('/').slice(0, -1)) {
    if (node === undefined) return undefined;
    node = node[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

function example(propSchema: any): string | undefined {
  if (propSchema?.default !== undefined && propSchema.default !== '' && typeof propSchema.default !== 'object') {
    return JSON.stringify(propSchema.default);
  }
  if (Array.isArray(propSchema?.enum)) return JSON.stringify(propSchema.enum[0]);
  return undefined;
}

/** The value at an ajv instance path (`/a/b/0`) of the validated data. */
function valueAt(data: unknown, instancePath: string): unknown {
  let v: any = data;
  for (const part of instancePath.split('/').slice(1)) {
    if (v === undefined || v === null) return undefined;
    v = v[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

/** Whether a schema pattern is Kubernetes' quantity pattern (the charts spell it with `[KMGTPE]i`). */
function isQuantityPattern(pattern: string): boolean {
  return pattern.includes('[KMGTPE]i');
}

/** A value as written, for a message. */
function shownValue(v: unknown): string {
  return v === undefined ? 'unset' : JSON.stringify(v);
}

const QUANTITY_FORMS = 'a Kubernetes quantity such as "10Gi", "500m" or "2" (a decimal number with an optional suffix m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi or Ei, or an exponent)';

/** A quantity close to what was written: the number kept, a unit spelled the way Kubernetes spells it. */
function quantityFix(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*$/.exec(v);
  if (!m) return undefined;
  const unit = m[2];
  const units = ['m', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
  if (unit === '' || units.includes(unit)) return `${m[1]}${unit}`;
  const u = unit.toLowerCase().replace(/b$/, '').replace(/ib$/, 'i');
  const byCase = units.find(x => x.toLowerCase() === u) ?? units.find(x => x.toLowerCase() === `${u}i`);
  return byCase ? `${m[1]}${byCase}` : undefined;
}

/** Turns ajv's errors into one readable problem per fault, naming the value written and the closest valid one. */
function describe(errors: ErrorObject[], schema: any, chart: ChartName, release: string, data: unknown): SpecProblem[] {
  // int-or-string fields report three errors (not integer, not string, anyOf): keep the anyOf one.
  const anyOfPaths = new Set(errors.filter(e => e.keyword === 'anyOf').map(e => e.instancePath));
  const seen = new Set<string>();
  const out: SpecProblem[] = [];
  for (const e of errors) {
    if (e.keyword !== 'anyOf' && anyOfPaths.has(e.instancePath) && e.schemaPath.includes('/anyOf/')) continue;
    let p: string;
    let problem: string;
    let fix: string;
    const value = valueAt(data, e.instancePath);
    switch (e.keyword) {
      case 'required': {
        const field = (e.params as any).missingProperty as string;
        p = jsonPath(e.instancePath, field);
        const parent = schemaAt(schema, e.schemaPath);
        const ex = example(parent?.properties?.[field]);
        problem = 'is required';
        fix = ex ? `Set it, e.g. ${field}: ${ex}.` : `Set ${field}.`;
        break;
      }
      case 'enum': {
        p = jsonPath(e.instancePath);
        const allowed = (e.params as any).allowedValues as unknown[];
        const strings = allowed.filter((a): a is string => typeof a === 'string');
        // Versions have a closest one by number; other strings only when the slip is small (case, a letter or two).
        const near = typeof value === 'string' && strings.length === allowed.length
          ? (/^v?\d+(\.\d+)*$/i.test(value) ? closestVersion(value, strings) : closest(value, strings))
          : undefined;
        problem = `must be one of ${allowed.map(a => JSON.stringify(a)).join(', ')} and is ${shownValue(value)}`;
        fix = near !== undefined
          ? `Pick one of the allowed values, e.g. ${JSON.stringify(near)}, the closest to ${shownValue(value)}.`
          : `Pick one of the allowed values, e.g. ${JSON.stringify(allowed[0])}.`;
        break;
      }
      case 'anyOf':
        p = jsonPath(e.instancePath);
        problem = `must be an integer or a string (a Kubernetes quantity such as "10Gi" or "500m") and is ${shownValue(value)}`;
        fix = `Write it as a quantity string, e.g. "${quantityFix(String(value)) ?? '10Gi'}".`;
        break;
      case 'pattern': {
        p = jsonPath(e.instancePath);
        const pattern = (e.params as any).pattern as string;
        if (isQuantityPattern(pattern)) {
          const near = quantityFix(value);
          problem = `does not match the quantity format: ${shownValue(value)} is not a Kubernetes quantity`;
          fix = `Write ${QUANTITY_FORMS}${near ? `; the closest is "${near}"` : ''}.`;
        } else {
          problem = `does not match the format the chart requires (${pattern}): it is ${shownValue(value)}`;
          fix = 'Change the value to that format.';
        }
        break;
      }
      case 'type': {
        p = jsonPath(e.instancePath);
        const type = (e.params as any).type as string;
        problem = `must be ${type === 'integer' ? 'an integer' : `of type ${type}`} and is ${shownValue(value)}`;
        const asNumber = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? value.trim() : undefined;
        const asBoolean = typeof value === 'string' ? ({ true: 'true', yes: 'true', on: 'true', false: 'false', no: 'false', off: 'false' } as Record<string, string>)[value.trim().toLowerCase()] : undefined;
        const written = (type === 'integer' || type === 'number') && asNumber ? ` (${asNumber}, without quotes)` : type === 'boolean' && asBoolean ? ` (${asBoolean}, without quotes)` : '';
        fix = `Change the value to ${type === 'integer' ? 'a whole number' : `a ${type}`}${written}.`;
        break;
      }
      case 'additionalProperties': {
        const field = (e.params as any).additionalProperty as string;
        p = jsonPath(e.instancePath, field);
        const near = closest(field, Object.keys(schemaAt(schema, e.schemaPath)?.properties ?? {}));
        problem = 'is not a field of this chart';
        fix = near ? `Remove it or check its spelling: did you mean ${p.replace(/[^.]*$/, near)}?` : 'Remove it or check its spelling.';
        break;
      }
      default:
        p = jsonPath(e.instancePath);
        problem = `is ${shownValue(value)}: ${e.message ?? `fails ${e.keyword}`}`;
        fix = 'Fix the value.';
    }
    const key = `${p}|${problem}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: p, message: MESSAGES.schemaViolation(chart, release, p, problem, fix) });
  }
  return out;
}

/**
 * Validates a spec as Helm would: chart defaults deep-merged with the spec,
 * checked against the chart's values schema.
 * @internal
 */
export function validateSpec(release: string, chart: ChartName, spec: Record<string, unknown>): SpecProblem[] {
  const data = chartData(release, chart);
  const merged = helmMerge(data.values, spec);
  const validate = validator(release, chart);
  if (validate(merged)) return [];
  return describe(validate.errors ?? [], data.schema, chart, release, merged);
}

/**
 * Spec paths (`spec.a.b`) that the chart's schema does not declare. Helm and the
 * server accept them silently, so they are typos or fields of another Cozystack version.
 * Free-form parts of the schema (`x-kubernetes-preserve-unknown-fields`, maps) are not checked.
 * @internal
 */
export function undeclaredFields(release: string, chart: ChartName, spec: Record<string, unknown>): string[] {
  const out: string[] = [];
  walkUndeclared(chartData(release, chart).schema, spec, 'spec', out);
  return out;
}

function walkUndeclared(schema: any, value: unknown, at: string, out: string[]): void {
  if (!schema || typeof schema !== 'object') return;
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((v, i) => walkUndeclared(schema.items, v, `${at}[${i}]`, out));
    return;
  }
  if (!isPlainObject(value) || schema['x-kubernetes-preserve-unknown-fields']) return;
  const props = schema.properties as Record<string, any> | undefined;
  const extra = schema.additionalProperties;
  for (const [k, v] of Object.entries(value)) {
    if (props && k in props) walkUndeclared(props[k], v, `${at}.${k}`, out);
    else if (extra && typeof extra === 'object') walkUndeclared(extra, v, `${at}.${k}`, out);
    else if (props && extra !== true) out.push(`${at}.${k}`);
  }
}

/**
 * Whether the chart's schema declares a spec path (`spec.a.b`, array indexes allowed).
 * @internal
 */
export function declaresField(release: string, chart: ChartName, specPath: string): boolean {
  // A release the library holds no data of for this chart (the catalogue's kinds in v0.41) declares nothing.
  if (!hasChartData(release, chart)) return false;
  let schema: any = chartData(release, chart).schema;
  for (const part of specPath.replace(/\[\d+\]/g, '.[]').split('.').slice(1)) {
    if (part === '[]') schema = schema?.items;
    else if (schema?.properties && part in schema.properties) schema = schema.properties[part];
    else if (schema?.additionalProperties && typeof schema.additionalProperties === 'object') schema = schema.additionalProperties;
    else return false;
  }
  return schema !== undefined;
}

/**
 * The field the chart declares beside an undeclared spec path that is closest to it
 * (a likely typo: `spec.nodeGroup` → `nodeGroups`), or undefined when none is close.
 * @internal
 */
export function closestField(release: string, chart: ChartName, specPath: string): string | undefined {
  const parts = specPath.replace(/\[\d+\]/g, '.[]').split('.').slice(1);
  const last = parts.pop();
  if (last === undefined) return undefined;
  let schema: any = chartData(release, chart).schema;
  for (const part of parts) {
    if (part === '[]') schema = schema?.items;
    else if (schema?.properties && part in schema.properties) schema = schema.properties[part];
    else if (schema?.additionalProperties && typeof schema.additionalProperties === 'object') schema = schema.additionalProperties;
    else return undefined;
  }
  return closest(last, Object.keys(schema?.properties ?? {}));
}
