/**
 * The one low-level child (`Resource`) every construct of the library owns: an
 * `apps.cozystack.io/v1alpha1` object whose spec is rendered lazily from the
 * construct's state, so that anything declared later in the program still lands.
 */
import { ApiObject, App, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
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
  /** Produces the spec at synthesis. */
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
    spec: Lazy.any({ produce: () => canonical(o.spec()) }),
  });
  // Labels are added after construction (obj.metadata.addLabel), so they are read at validation.
  scope.node.addValidation({ validate: () => storedKeyProblems(o.kind, storedMaps(obj)) });
  return obj;
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
  if (App.of(obj).resolvers.length === BUILT_IN_RESOLVERS && plainStrings(m.labels) && plainStrings(m.annotations)) {
    return m as { labels?: Record<string, string>; annotations?: Record<string, string> };
  }
  return obj.metadata.toJson();
}

/** cdk8s's own resolvers, which every App has after those it is given (cdk8s app.js). */
const BUILT_IN_RESOLVERS = new App().resolvers.length;
