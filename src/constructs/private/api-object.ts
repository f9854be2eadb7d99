/**
 * The one low-level child (`Resource`) every construct of the library owns: an
 * `apps.cozystack.io/v1alpha1` object whose spec is rendered lazily from the
 * construct's state, so that anything declared later in the program still lands.
 */
import { ApiObject, App, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { oncePerSynthesis } from './synthesis';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../domain/labels';
import { COZYSTACK_API_VERSION } from '../../domain/registry';
import { storedKeyProblems } from '../../domain/rules/api';

/** Recursively drops `undefined` and sorts object keys, so that output is byte-stable. @internal */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = canonical(v);
    }
    return out;
  }
  return value;
}

/** @internal */
export interface CozystackObjectOptions {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /**
   * Produces the spec at synthesis: a fresh value every call, sharing nothing with the
   * construct's state or the program's props (the bundle's manifests hold it as it is).
   */
  readonly spec: () => Record<string, unknown>;
  /** Whether the object carries the ownership label (the pre-existing root tenant does not). */
  readonly owned?: boolean;
  readonly id?: string;
}

/** @internal */
export function createCozystackObject(scope: Construct, o: CozystackObjectOptions): ApiObject {
  const obj = new ApiObject(scope, o.id ?? 'Resource', {
    apiVersion: COZYSTACK_API_VERSION,
    kind: o.kind,
    metadata: {
      name: o.name,
      namespace: o.namespace,
      labels: o.owned === false ? undefined : { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
    },
    spec: Lazy.any({ produce: () => canonical(renderedSpec(obj)) }),
  });
  Object.defineProperty(obj, SPEC, { value: o.spec });
  // Labels are added after construction (obj.metadata.addLabel), so they are read at validation.
  scope.node.addValidation({ validate: () => storedKeyProblems(o.kind, storedMaps(obj)) });
  return obj;
}

/** Where a library object keeps its spec producer (a symbol property: faster to read than a WeakMap). */
const SPEC = Symbol('cdk8s-cozystack.spec');

/** A library object's spec producer, if it is one. */
function specProducer(obj: ApiObject): (() => Record<string, unknown>) | undefined {
  return (obj as unknown as { [SPEC]?: () => Record<string, unknown> })[SPEC];
}

/** Tells the rendered specs apart from other values computed once per synthesis. */
const RENDERED_SPEC = {};

/**
 * The spec of one of the library's objects, rendered once per synthesis: validation, warnings
 * and the bundle read the same rendering. Shared: read it, never change it.
 * @internal
 */
export function renderedSpec(obj: ApiObject): Record<string, any> {
  const produce = specProducer(obj);
  if (!produce) throw new Error(`${obj.node.path} is not an object of cdk8s-cozystack`);
  return oncePerSynthesis(obj, RENDERED_SPEC, produce);
}

/** The metadata keys the library gives its objects (cdk8s keeps them as "additional attributes" too). */
const OWN_METADATA_KEYS = new Set(['name', 'namespace', 'labels']);

/**
 * What `obj.toJson()` returns, the same value, computed directly for the library's own objects
 * when nothing cdk8s's rendering would act on is there: no JSON patches, no resolvers besides
 * cdk8s's own (`CDK8S_DISABLE_SORT` changes nothing here: the specs are sorted by the library and
 * cdk8s sorts metadata keys either way), metadata of plain strings with no finalizers, owner references or
 * extra attributes. Their spec is plain data (a fresh `canonical` copy), which cdk8s's resolving
 * leaves as it is; what remains of `toJson()` is its sanitizing (null entries dropped, keys
 * sorted) and the key order, done here. Any other object takes `toJson()` (a platform's objects
 * are a third of a second of cdk8s's resolving per 30,000). test/api-object.test.ts compares the two.
 * @internal
 */
export function manifestOf(obj: ApiObject): any {
  const raw = obj as unknown as { patches?: unknown[] };
  const meta = obj.metadata as unknown as {
    labels?: Record<string, unknown>;
    annotations?: Record<string, unknown>;
    finalizers?: unknown[];
    ownerReferences?: unknown[];
    _additionalAttributes?: Record<string, unknown>;
    name?: string;
    namespace?: string;
  };
  const fast = specProducer(obj) !== undefined
    && Array.isArray(raw.patches) && raw.patches.length === 0
    && Array.isArray(meta.finalizers) && meta.finalizers.length === 0
    && Array.isArray(meta.ownerReferences) && meta.ownerReferences.length === 0
    && meta._additionalAttributes !== undefined && Object.keys(meta._additionalAttributes).every(k => OWN_METADATA_KEYS.has(k))
    && typeof meta.name === 'string' && typeof meta.namespace === 'string'
    && plainStrings(meta.labels) && plainStrings(meta.annotations)
    && builtInResolversOnly(obj);
  if (!fast) return obj.toJson();
  const metadata: Record<string, unknown> = {};
  const annotations = sortedStrings(meta.annotations);
  const labels = sortedStrings(meta.labels);
  if (annotations) metadata.annotations = annotations;
  if (labels) metadata.labels = labels;
  metadata.name = meta.name;
  metadata.namespace = meta.namespace;
  const out: Record<string, unknown> = { apiVersion: obj.apiVersion, kind: obj.kind, metadata };
  // cdk8s's spec is `canonical` of the rendering; sanitizing it gives the same as sanitizing the rendering.
  let rendered: unknown;
  try {
    rendered = sanitized(renderedSpec(obj));
  } catch (e) {
    if (e === RESOLVED_BY_CDK8S) return obj.toJson();
    throw e;
  }
  if (rendered !== undefined) out.spec = rendered;
  return out;
}

/** Thrown by `sanitized` where cdk8s's resolving would change a value. */
const RESOLVED_BY_CDK8S = Symbol('resolved by cdk8s');

/** A string map with its keys sorted, undefined when empty (as cdk8s's metadata leaves it out). */
function sortedStrings(map: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!map) return undefined;
  const keys = Object.keys(map);
  if (keys.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of keys.sort()) out[k] = map[k];
  return out;
}

/**
 * cdk8s's sanitizing of a value (`sanitizeValue` with its defaults: null and undefined dropped
 * from maps and turned into undefined in lists, keys sorted, any object read as a map of its
 * keys), returning the value itself where that changes nothing: a rendered spec is mostly
 * sorted already, and a copy of every spec of a platform is garbage to collect.
 */
function sanitized(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') return value;
  // What cdk8s's own resolvers act on in plain data: a `resolve` function (read as a token) and a
  // `constructor` key (read as a number-or-string union): left to toJson().
  if (typeof (value as { resolve?: unknown }).resolve === 'function' || Object.prototype.hasOwnProperty.call(value, 'constructor')) {
    throw RESOLVED_BY_CDK8S;
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = sanitized(value[i]);
      if (!copy && v !== value[i]) copy = value.slice(0, i);
      if (copy) copy.push(v);
    }
    return copy ?? value;
  }
  const map = value as Record<string, unknown>;
  const keys = Object.keys(map);
  let same = Object.getPrototypeOf(map) === Object.prototype;
  for (let i = 1; same && i < keys.length; i++) same = keys[i - 1] < keys[i];
  const values = keys.map(k => {
    const v = sanitized(map[k]);
    if (v !== map[k] || v === undefined) same = false;
    return v;
  });
  if (same) return value;
  const order = keys.map((_, i) => i).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const i of order) if (values[i] !== undefined) out[keys[i]] = values[i];
  return out;
}

/** Whether a label or annotation map holds only plain strings (which resolving leaves as they are). */
function plainStrings(map: Record<string, unknown> | undefined): boolean {
  if (map === undefined) return true;
  for (const k in map) if (typeof map[k] !== 'string') return false;
  return true;
}

/**
 * The object's labels and annotations as `metadata.toJson()` gives them, for their keys: read
 * directly when they hold only strings and the App has only cdk8s's own resolvers (which leave a
 * string as it is), since resolving the whole metadata of every object costs a second per
 * 30,000 objects; through `toJson()` otherwise.
 */
function storedMaps(obj: ApiObject): { labels?: Record<string, string>; annotations?: Record<string, string> } {
  const m = obj.metadata as unknown as { labels?: Record<string, unknown>; annotations?: Record<string, unknown> };
  if (builtInResolversOnly(obj) && plainStrings(m.labels) && plainStrings(m.annotations)) {
    return m as { labels?: Record<string, string>; annotations?: Record<string, string> };
  }
  return obj.metadata.toJson();
}

/** Whether the object's App has only cdk8s's own resolvers (found from its chart: fewer scopes to climb). */
function builtInResolversOnly(obj: ApiObject): boolean {
  return App.of(obj.chart).resolvers.length === BUILT_IN_RESOLVERS;
}

/** cdk8s's own resolvers, which every App has after those it is given (cdk8s app.js). */
const BUILT_IN_RESOLVERS = new App().resolvers.length;
