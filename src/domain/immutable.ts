/**
 * Immutable fields, read from the chart schemas rather than listed by hand: a property
 * whose `x-kubernetes-validations` has the transition rule `self == oldSelf` cannot
 * change once the object exists (e.g. Kubernetes and Postgres `storageClass`).
 */
import { ChartName, chartData } from './charts';
import { KindRegistry, REGISTRY } from './registry';
import { CozystackVersion } from './versions';

/** One immutable property: its path in `spec` (`*` for any map key) and the schema's message. */
export interface ImmutableField {
  readonly path: string[];
  readonly message: string;
  /** The schema default, the value an absent field has once Helm merges defaults. */
  readonly default?: unknown;
}

const cache = new Map<string, ImmutableField[]>();

/** The chart release (`charts/<release>`) of a bundle's Cozystack version. */
export function chartReleaseOf(cozystackVersion: string | undefined): string {
  return (cozystackVersion ? CozystackVersion.of(cozystackVersion) : CozystackVersion.V1_6).chartRelease;
}

/**
 * The immutable fields of a kind's spec in a chart release; none for a kind the registry
 * does not know or a release that does not have it.
 * @param chart the kind's chart, as the bundle records it for an app; by default the registry's
 */
export function immutableFields(release: string, kind: string, chart?: string, registry: KindRegistry = REGISTRY): ImmutableField[] {
  const def = registry.tryGet(kind);
  if (!def || !def.chartReleases.includes(release)) return [];
  chart ??= def.chart;
  const key = `${release}/${chart}`;
  let fields = cache.get(key);
  if (!fields) {
    fields = [];
    walk(chartData(release, chart as ChartName).schema, [], fields);
    cache.set(key, fields);
  }
  return fields;
}

function walk(schema: any, at: string[], out: ImmutableField[]): void {
  if (!schema || typeof schema !== 'object') return;
  for (const v of schema['x-kubernetes-validations'] ?? []) {
    if (typeof v?.rule === 'string' && v.rule.replace(/\s+/g, '') === 'self==oldSelf') {
      out.push({ path: at, message: v.message ?? `${at.join('.')} is immutable`, default: schema.default });
    }
  }
  for (const [k, sub] of Object.entries(schema.properties ?? {})) walk(sub, [...at, k], out);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') walk(schema.additionalProperties, [...at, '*'], out);
  if (schema.items && typeof schema.items === 'object') walk(schema.items, [...at, '*'], out);
}

/** Every concrete value at `pattern` (with `*` expanded over both objects' keys). */
export function valuesAt(before: any, after: any, pattern: string[]): { path: string[]; before: unknown; after: unknown }[] {
  if (pattern.length === 0) return [{ path: [], before, after }];
  const [head, ...rest] = pattern;
  const keys = head === '*'
    ? [...new Set([...Object.keys(asObject(before)), ...Object.keys(asObject(after))])].sort()
    : [head];
  const out: { path: string[]; before: unknown; after: unknown }[] = [];
  for (const k of keys) {
    for (const v of valuesAt(asObject(before)[k], asObject(after)[k], rest)) out.push({ path: [k, ...v.path], before: v.before, after: v.after });
  }
  return out;
}

function asObject(x: unknown): Record<string, any> {
  return x && typeof x === 'object' ? x as Record<string, any> : {};
}
