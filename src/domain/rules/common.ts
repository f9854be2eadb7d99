/**
 * What every rule module shares: the shape of a rule and of a problem, and the
 * helpers that make a message name the closest valid value.
 *
 * A rule has an id (`<chart>/<what>`, e.g. `postgres/blocked-parameter`) that
 * docs/chart-rules.md names next to each chart site it covers; test/chart-rules.test.ts
 * holds the table to the ids defined here and every id to a test.
 */

/** One rule: its id and what it refuses, in one line. @internal */
export interface RuleInfo {
  readonly id: string;
  readonly summary: string;
}

/** One problem a rule found in a spec. @internal */
export interface RuleProblem {
  /** The rule's id. */
  readonly rule: string;
  /**
   * The spec path the problem is about (`spec.a.b`); schema problems at it or under it are not
   * repeated. A rule about several fields together names a path of its own (`spec.a#budget`),
   * so that it hides no schema problem of a field.
   */
  readonly path: string;
  /** The whole message: the wrong value, the rule and the fix. */
  readonly message: string;
}

/** What a rule may know besides the spec. @internal */
export interface RuleContext {
  /** The app's name (the object's `metadata.name`). */
  readonly name?: string;
  /** The namespace the object lives in. */
  readonly namespace?: string;
  /** The tenant's host, as the chart receives it in `_namespace.host`. */
  readonly tenantHost?: string;
  /** The chart release the spec is rendered with (`v1.6.2`, `v0.41.11`). @default the v1 charts */
  readonly release?: string;
}

/** A chart's synth-time rules: the spec (chart defaults merged) in, problems out. @internal */
export type ChartRuleCheck = (spec: any, ctx: RuleContext) => RuleProblem[];

/** Rule infos keyed by id, from `{ 'what': 'summary' }` under a chart's prefix. @internal */
export function defineRules<K extends string>(prefix: string, rules: Record<K, string>): Record<K, RuleInfo> {
  const out = {} as Record<K, RuleInfo>;
  for (const [k, summary] of Object.entries<string>(rules)) {
    out[k as K] = { id: `${prefix}/${k}`, summary };
  }
  return out;
}

/**
 * The edit distance between two strings: insertions, deletions, substitutions and swaps of two
 * neighbouring letters (`memroy` is one edit from `memory`), each counting one.
 * @internal
 */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidate closest to `value`: a case-insensitive match first, then the smallest
 * edit distance (ignoring case), ties to the earlier candidate. Undefined when nothing
 * is close enough to be a plausible typo (more than a third of the longer string differs),
 * unless `always` is set.
 * @internal
 */
export function closest(value: string, candidates: readonly string[], always = false): string | undefined {
  const v = value.toLowerCase();
  const exact = candidates.find(c => c.toLowerCase() === v);
  if (exact !== undefined) return exact;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = levenshtein(v, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  if (always) return best;
  return bestDistance <= Math.max(1, Math.floor(Math.max(v.length, best.length) / 3)) ? best : undefined;
}

/**
 * The closest version string: versions (`v1.35`, `17`, `8.0`) compare by their numbers,
 * so `v1.99` is closest to the newest `v1.35` and `v1.3` to `v1.31`; other strings fall back
 * to {@link closest}.
 * @internal
 */
export function closestVersion(value: string, candidates: readonly string[]): string | undefined {
  const nums = (s: string) => (/^v?(\d+(?:\.\d+)*)$/i.exec(s.trim())?.[1].split('.').map(Number));
  const want = nums(value);
  const parsed = candidates.map(c => ({ c, n: nums(c) }));
  if (!want || parsed.some(p => !p.n)) return closest(value, candidates, true);
  const key = (n: number[]) => n.reduce((acc, x, i) => acc + x / Math.pow(1000, i), 0);
  const sameLead = parsed.filter(p => p.n![0] === want[0]);
  const pool = sameLead.length > 0 ? sameLead : parsed;
  let best = pool[0];
  for (const p of pool) {
    if (Math.abs(key(p.n!) - key(want)) < Math.abs(key(best.n!) - key(want))) best = p;
  }
  return best.c;
}

/** "a, b or c" @internal */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** A value as the user wrote it, for a message. @internal */
export function shown(value: unknown): string {
  return value === undefined ? 'unset' : JSON.stringify(value);
}

/** Reads `a.b.c` below an object; undefined when any step is missing. @internal */
export function at(obj: any, path: string): any {
  let o = obj;
  for (const part of path.split('.')) {
    if (o === undefined || o === null) return undefined;
    o = o[part];
  }
  return o;
}

/** Helm's truthiness: false, 0, "", null, empty lists and maps are false. @internal */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

/** A key a spec reads from a Secret, and the setting that names it. @internal */
export interface NeededSecretKey {
  readonly key: string;
  /** The spec setting that chooses the key (e.g. `backup.s3CredentialsSecret.accessKeyIDKey`). */
  readonly setting?: string;
  /** What the chart reads from it. */
  readonly what: string;
}

/**
 * A Secret the program declares must hold the keys the chart reads from it: a missing key is
 * no chart refusal, the workload fails on the cluster. `keys` undefined: the Secret is not
 * declared here and only the cluster knows.
 * @internal
 */
export function secretKeyProblems(
  rule: string, path: string, prop: string, secretName: string, keys: readonly string[] | undefined, needed: readonly NeededSecretKey[],
): RuleProblem[] {
  if (keys === undefined) return [];
  return needed.filter(n => !keys.includes(n.key)).map(n => {
    const near = closest(n.key, keys);
    const has = keys.length === 0 ? 'it has no keys' : `it has ${keys.map(k => `"${k}"`).join(', ')}`;
    const fix = n.setting
      ? `Add the key "${n.key}" to the Secret, or set ${n.setting}${near ? ` to "${near}"` : ' to the key that holds it'}.`
      : `Add the key "${n.key}" to the Secret${near ? ` (rename "${near}")` : ''}.`;
    return {
      rule,
      path,
      message: `${prop} is the Secret "${secretName}", which has no key "${n.key}" (${has}): ${n.what} is read from that key, so it fails on the cluster. ${fix}`,
    };
  });
}

/** A chart default that only shows where a value goes (`<your-access-key>`, `<password>`). @internal */
export function isPlaceholder(v: unknown): v is string {
  return typeof v === 'string' && /^<[^<>]+>$/.test(v.trim());
}
