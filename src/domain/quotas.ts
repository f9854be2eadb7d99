/**
 * Tenant quotas (SPEC §3), as pure functions over a tree: which keys Kubernetes takes,
 * and, since Cozystack v1.6, the pools the quota controller computes and the check
 * cozystack-api makes when a Tenant is created.
 *
 * Keys (cozy-lib `_resources.tpl`, `resources.sanitize` / `flatten` / `flattenResource`):
 * the tenant chart renders `resourceQuotas` into the ResourceQuota `tenant-quota`. Each
 * key `k` becomes `requests.k` and `limits.k`, except the object counts of
 * `$rawQuotaKeys` (written as they are) and `storage` (only `requests.storage`). So a key
 * must be a resource name *without* `requests.`/`limits.`; Kubernetes refuses the rest
 * of what cannot be a quota resource, and some names it takes limit nothing.
 *
 * Pools (`internal/controller/tenantquota/pool.go`, `ComputePools`) are per tenant, not
 * per key: a tenant declaring any key is *bounded* and roots a pool whose budget is its
 * declared list; its namespace and every unbounded descendant below it (down to the next
 * bounded tenant) are the pool's members. A bounded tenant's whole list is carved out of
 * the pool of its parent's nearest bounded ancestor; what is left, per budget key and
 * never below 0, is what the members share. A pool whose carve-outs exceed its budget is
 * overcommitted (`Pool.Overcommitted`), and its members get a hard limit of 0.
 *
 * Admission (`pkg/registry/apps/application/quota.go`, `validateTenantResourceQuotas`):
 * only a *direct* parent with quotas constrains a child, and only in the keys both
 * declare: `child[k] <= parent[k] - sum(siblings' k) - current use of the parent's pool`.
 * At synth time the use is unknown (0): what fails here fails on every cluster.
 *
 * Keys are compared verbatim in the user's vocabulary, as admission does. The
 * controller compares the rendered keys instead (`cpu` as `requests.cpu` and
 * `limits.cpu`); for the keys Kubernetes takes, that is the same comparison.
 *
 * One walk of the tree serves every key; the cost is linear in tenants times keys.
 * @internal
 */
import { formatQuantity, Quantity, tryParseQuantity } from './quantity';
import { MESSAGES } from './rules';

/** A tenant, as the quota rules see it. @internal */
export interface QuotaNode {
  /** The construct path problems are reported on. */
  readonly path: string;
  /** The tenant's own namespace (`tenant-foo-bar`). */
  readonly namespace: string;
  /** The tenant's `resourceQuotas`, as written. */
  readonly declared?: { [key: string]: string };
  readonly children: QuotaNode[];
}

/** What a bounded tenant carves out of a pool, for one key. @internal */
export interface QuotaAsk {
  readonly namespace: string;
  /** The amount as the tenant wrote it. */
  readonly amount: string;
  /** The tenant's parent, when it is not the pool's root (a tenant without quota in between). */
  readonly via?: string;
}

/** Which rule a quota problem breaks. @internal */
export type QuotaRule =
  /** An amount that is not a quantity (the chart schema reports it too). */
  | 'invalid'
  /** A negative amount. */
  | 'negative'
  /** A key Kubernetes (or the chart) refuses. */
  | 'key'
  /** A fractional amount for a resource Kubernetes counts in whole numbers. */
  | 'integer'
  /** An amount the chart cannot read (`n`/`u` on cpu, memory, ephemeral-storage). */
  | 'chart-unit'
  /** Direct sub-tenants that together ask more than their parent has (cozy-api refuses the last one). */
  | 'admission'
  /** A pool whose carve-outs exceed its budget (the controller clamps its members to 0). */
  | 'overcommitted';

/** A broken quota rule, on the construct path of the tenant that must change. @internal */
export interface QuotaProblem {
  readonly rule: QuotaRule;
  readonly path: string;
  readonly message: string;
}

/** Something that works, but not as written: a key that limits nothing. @internal */
export interface QuotaWarning {
  readonly rule: 'inert-key';
  readonly path: string;
  readonly message: string;
}

/** One key of the pool a tenant's namespace draws from. @internal */
export interface EffectiveQuota {
  /** The tenant's own declared amount, or what its pool has left for the members to share. */
  readonly amount: string;
  /** Namespace of the bounded tenant whose pool it is. */
  readonly pool: string;
  /** False when the tenant roots the pool itself. */
  readonly shared: boolean;
}

/** A pool, as `ComputePools` builds it. @internal */
export interface QuotaPool {
  /** The bounded tenant's namespace. */
  readonly root: string;
  /** Its construct path. */
  readonly path: string;
  /** The usable declared amounts, as written. */
  readonly budget: { readonly [key: string]: string };
  /** Per budget key that bounded tenants below carve from: the sum they carve. */
  readonly carvedOut: { readonly [key: string]: string };
  /** Per budget key: max(budget - carved out, 0), shared by the members. */
  readonly available: { readonly [key: string]: string };
  /** The root's namespace and every unbounded descendant drawing from it, sorted. */
  readonly members: readonly string[];
  /** Per budget key carved beyond the budget: by how much. */
  readonly overcommitted: { readonly [key: string]: string };
}

/** What a tenant may use. @internal */
export interface TenantBudget {
  /** The tenant's `resourceQuotas`, as written (invalid values included). */
  readonly declared: { readonly [key: string]: string };
  /** The namespace of the pool the tenant's namespace draws from (itself when bounded); null when no tenant up the tree has a quota. */
  readonly pool: string | null;
  /** The keys that bound the tenant's namespace: those of its pool's budget. Nothing else is limited. */
  readonly effective: { readonly [key: string]: EffectiveQuota };
  /** For a bounded tenant, its pool's available amounts; empty otherwise. */
  readonly remaining: { readonly [key: string]: string };
}

/** Problems, warnings, budgets and pools from one walk. @internal */
export interface QuotaReport {
  readonly problems: QuotaProblem[];
  readonly warnings: QuotaWarning[];
  /** By namespace, in tree pre-order. */
  readonly budgets: Map<string, TenantBudget>;
  /** By root namespace, in tree pre-order. */
  readonly pools: Map<string, QuotaPool>;
}

// ---------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------

/** Object counts the chart writes as they are (cozy-lib `flattenResource`, `$rawQuotaKeys`). @internal */
export const RAW_QUOTA_KEYS: readonly string[] = [
  'pods', 'services', 'services.loadbalancers', 'services.nodeports', 'services.clusterip',
  'configmaps', 'secrets', 'persistentvolumeclaims', 'replicationcontrollers', 'resourcequotas',
];

/** Amounts the chart divides by an allocation ratio to derive the request (cozy-lib `resources.sanitize`). */
const RATIO_KEYS: readonly string[] = ['cpu', 'memory', 'ephemeral-storage'];

/**
 * Every unprefixed key whose rendered names Kubernetes takes and counts: cpu, memory,
 * ephemeral-storage (requests.k, limits.k), storage (requests.storage), and the object
 * counts except `services.clusterip`, which Kubernetes has no quota for.
 * @internal
 */
export const QUOTA_KEYS: readonly string[] = [
  ...RATIO_KEYS, 'storage', ...RAW_QUOTA_KEYS.filter(k => k !== 'services.clusterip'),
];

/** `count/<resource>` of the core group, and the object count the chart passes through for it. */
const COUNT_EQUIVALENT: { readonly [key: string]: string } = {
  'count/pods': 'pods',
  'count/services': 'services',
  'count/configmaps': 'configmaps',
  'count/secrets': 'secrets',
  'count/persistentvolumeclaims': 'persistentvolumeclaims',
  'count/replicationcontrollers': 'replicationcontrollers',
  'count/resourcequotas': 'resourcequotas',
};

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** How Kubernetes takes a key once the chart has rendered it. @internal */
export interface QuotaKeyVerdict {
  /** `ok`: it limits something; `refused`: the chart or Kubernetes refuses it; `inert`: accepted, limits nothing. */
  readonly status: 'ok' | 'refused' | 'inert';
  /** The ResourceQuota keys the chart writes for it. */
  readonly rendered: readonly string[];
  /** Whether Kubernetes takes only whole amounts for it (object counts, extended resources). */
  readonly integer: boolean;
  /** Why, for `refused` and `inert`. */
  readonly message?: string;
}

/** The ResourceQuota keys the tenant chart writes for a `resourceQuotas` key (cozy-lib `resources.flatten`). @internal */
export function renderedQuotaKeys(key: string): string[] {
  if (RAW_QUOTA_KEYS.includes(key)) return [key];
  if (key === 'storage') return ['requests.storage'];
  return [`requests.${key}`, `limits.${key}`];
}

/** Why `name` is not a Kubernetes qualified name (`[prefix/]name`), or undefined. */
function qualifiedNameProblem(name: string): string | undefined {
  const parts = name.split('/');
  if (parts.length > 2) return 'it has more than one "/"';
  const [prefix, local] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
    return `"${prefix}" before the "/" is not a lowercase DNS subdomain of at most 253 characters`;
  }
  if (local.length === 0 || local.length > 63 || !QUALIFIED_NAME_PART.test(local)) {
    return `"${local}" after the "/" must have 1 to 63 characters: letters, digits, "-", "_" and ".", starting and ending with a letter or digit`;
  }
  return undefined;
}

/** The key closest to `key` among `candidates` (a case-insensitive match, else at most a third of it edited). */
function nearest(key: string, candidates: readonly string[]): string | undefined {
  const v = key.toLowerCase();
  const exact = candidates.find(c => c === v);
  if (exact) return exact;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(v, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(Math.max(v.length, best.length) / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/**
 * How Kubernetes takes a `resourceQuotas` key, read from the chart's rendering and
 * from Kubernetes' ResourceQuota validation (`ValidateResourceQuotaResourceName`: a
 * name without "/" must be a standard quota resource, one with "/" a qualified name)
 * and quota evaluators (only `requests.<extended resource>` is counted for pods;
 * `count/...` and storage-class names are counted only as they are, never prefixed).
 * @internal
 */
export function classifyQuotaKey(key: string): QuotaKeyVerdict {
  const rendered = renderedQuotaKeys(key);
  const ok = (integer: boolean): QuotaKeyVerdict => ({ status: 'ok', rendered, integer });
  const refused = (message: string): QuotaKeyVerdict => ({ status: 'refused', rendered, integer: false, message });
  // A name with "/" that is not kubernetes.io's makes limits.<key> an extended resource, counted in whole numbers.
  const extended = key.includes('/') && !key.includes('kubernetes.io/');
  const inert = (message: string): QuotaKeyVerdict => ({ status: 'inert', rendered, integer: extended, message });

  if (key === 'requests' || key === 'limits') return refused(MESSAGES.quotaKeyNested(key));
  if (key === 'services.clusterip') return refused(MESSAGES.quotaKeyClusterIp());
  if (RAW_QUOTA_KEYS.includes(key)) return ok(true);
  if (key === 'storage' || RATIO_KEYS.includes(key)) return ok(false);

  if (!key.includes('/')) {
    const prefixed = /^(requests|limits)\.(.+)$/.exec(key);
    const inner = prefixed?.[2];
    if (key.startsWith('hugepages-') || inner?.startsWith('hugepages-')) return refused(MESSAGES.quotaKeyHugepages(key, rendered));
    if (inner !== undefined) {
      const right = QUOTA_KEYS.includes(inner) ? inner : nearest(inner, QUOTA_KEYS);
      return refused(MESSAGES.quotaKeyPrefixed(key, rendered, right));
    }
    // "gpu" is one edit from "cpu", but whoever writes it means a GPU: extended resources carry their vendor's domain.
    const right = /^gpus?$/i.test(key) ? 'nvidia.com/gpu' : nearest(key, QUOTA_KEYS);
    return refused(MESSAGES.quotaKeyUnknown(key, rendered, right, QUOTA_KEYS));
  }

  const nameProblem = qualifiedNameProblem(key) ?? qualifiedNameProblem(`requests.${key}`);
  if (nameProblem) return refused(MESSAGES.quotaKeyName(key, nameProblem));
  const prefixed = /^(requests|limits)\.(.+)$/.exec(key);
  if (prefixed) return inert(MESSAGES.quotaKeyInert(key, rendered, 'prefixed', prefixed[2]));
  if (key.startsWith('count/')) return inert(MESSAGES.quotaKeyInert(key, rendered, 'count', COUNT_EQUIVALENT[key]));
  const storageClass = /^[^/]+\.storageclass\.storage\.k8s\.io\/(requests\.storage|persistentvolumeclaims)$/.exec(key);
  if (storageClass) {
    return inert(MESSAGES.quotaKeyInert(key, rendered, 'storage-class', storageClass[1] === 'requests.storage' ? 'storage' : 'persistentvolumeclaims'));
  }
  if (!extended) return inert(MESSAGES.quotaKeyInert(key, rendered, 'native'));
  return ok(true);
}

// ---------------------------------------------------------------------------
// Pools
// ---------------------------------------------------------------------------

interface Amount {
  readonly text: string;
  readonly amount: Quantity;
}

/** A pool while the walk builds it. */
interface PoolState {
  readonly owner: QuotaNode;
  readonly budget: Map<string, Amount>;
  /** Per budget key: what bounded tenants below carve out, and who. */
  readonly carved: Map<string, { sum: Quantity; asks: QuotaAsk[] }>;
  /** Per budget key: what the owner's direct children declare (the admission check). */
  readonly direct: Map<string, { sum: Quantity; asks: QuotaAsk[] }>;
  readonly members: string[];
  views?: {
    readonly own: { [key: string]: EffectiveQuota };
    readonly shared: { [key: string]: EffectiveQuota };
    readonly remaining: { [key: string]: string };
  };
}

/**
 * Every quota rule broken in the tree: the key and amount problems of each tenant in
 * tree order, then each pool's admission or overcommit problem per key.
 * @internal
 */
export function quotaProblems(root: QuotaNode): QuotaProblem[] {
  return quotaReport(root).problems;
}

/**
 * Each tenant's declared, effective and remaining budget, by namespace.
 * @internal
 */
export function quotaBudgets(root: QuotaNode): Map<string, TenantBudget> {
  return quotaReport(root).budgets;
}

/**
 * Problems, warnings, budgets and pools, from a single walk.
 * @internal
 */
export function quotaReport(root: QuotaNode): QuotaReport {
  const problems: QuotaProblem[] = [];
  const warnings: QuotaWarning[] = [];
  const pools: PoolState[] = [];
  const nodes: QuotaNode[] = [];
  const governing: Array<PoolState | undefined> = [];

  // Iterative pre-order walk: deep trees must not exhaust the call stack, and
  // pre-order keeps problems and asks in declaration order.
  const stack: Array<{ node: QuotaNode; parent?: QuotaNode; pool?: PoolState }> = [{ node: root }];
  while (stack.length > 0) {
    const { node, parent, pool: parentPool } = stack.pop()!;
    let pool = parentPool;
    if (node.declared !== undefined && Object.keys(node.declared).length > 0) {
      // Bounded: a pool of its own, whose whole list is carved out of the parent's pool.
      const budget = usableAmounts(node, problems, warnings);
      pool = { owner: node, budget, carved: new Map(), direct: new Map(), members: [] };
      pools.push(pool);
      if (parentPool) {
        const direct = parentPool.owner === parent;
        for (const [key, a] of budget) {
          // Keys the parent pool does not bound are masked out (pool.go: quota.Mask).
          if (!parentPool.budget.has(key)) continue;
          const ask: QuotaAsk = direct
            ? { namespace: node.namespace, amount: a.text }
            : { namespace: node.namespace, amount: a.text, via: parent!.namespace };
          charge(parentPool.carved, key, a.amount, ask);
          if (direct) charge(parentPool.direct, key, a.amount, ask);
        }
      }
    }
    pool?.members.push(node.namespace);
    nodes.push(node);
    governing.push(pool);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i], parent: node, pool });
  }

  const poolsOut = new Map<string, QuotaPool>();
  for (const pool of pools) {
    const ns = pool.owner.namespace;
    const carvedOut: { [key: string]: string } = {};
    const available: { [key: string]: string } = {};
    const overcommitted: { [key: string]: string } = {};
    const budgetText: { [key: string]: string } = {};
    for (const [key, b] of pool.budget) {
      budgetText[key] = b.text;
      const carved = pool.carved.get(key);
      const left = carved ? b.amount.sub(carved.sum) : b.amount;
      if (carved) carvedOut[key] = formatQuantity(carved.sum, b.text);
      available[key] = formatQuantity(left.isNegative() ? Quantity.ZERO : left, b.text);
      if (!left.isNegative()) continue;
      const over = formatQuantity(left.neg(), b.text);
      overcommitted[key] = over;
      const direct = pool.direct.get(key);
      const total = formatQuantity(carved!.sum, b.text);
      if (direct && direct.sum.compare(b.amount) > 0) {
        problems.push({
          rule: 'admission',
          path: pool.owner.path,
          message: MESSAGES.quotaAdmission(
            ns, key, b.text, direct.asks, formatQuantity(direct.sum, b.text), formatQuantity(direct.sum.sub(b.amount), b.text), total,
          ),
        });
      } else {
        problems.push({
          rule: 'overcommitted',
          path: pool.owner.path,
          message: MESSAGES.quotaOvercommitted(ns, key, b.text, carved!.asks, total, over, pool.members),
        });
      }
    }
    pool.members.sort();
    poolsOut.set(ns, { root: ns, path: pool.owner.path, budget: budgetText, carvedOut, available, members: pool.members, overcommitted });
    // One frozen view per pool, shared by every tenant that sees it (100,000 tenants must not mean 100,000 copies).
    const own: { [key: string]: EffectiveQuota } = {};
    const shared: { [key: string]: EffectiveQuota } = {};
    for (const [key, b] of pool.budget) {
      own[key] = Object.freeze({ amount: b.text, pool: ns, shared: false });
      shared[key] = Object.freeze({ amount: available[key], pool: ns, shared: true });
    }
    pool.views = { own: Object.freeze(own), shared: Object.freeze(shared), remaining: Object.freeze(available) };
  }

  const NONE = Object.freeze({});
  const budgets = new Map<string, TenantBudget>();
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    const pool = governing[i];
    const mine = pool?.owner === node;
    budgets.set(node.namespace, {
      declared: { ...node.declared },
      pool: pool ? pool.owner.namespace : null,
      effective: pool ? (mine ? pool.views!.own : pool.views!.shared) : NONE,
      remaining: mine ? pool.views!.remaining : NONE,
    });
  }
  return { problems, warnings, budgets, pools: poolsOut };
}

function charge(into: Map<string, { sum: Quantity; asks: QuotaAsk[] }>, key: string, amount: Quantity, ask: QuotaAsk): void {
  const entry = into.get(key);
  if (entry) {
    entry.sum = entry.sum.add(amount);
    entry.asks.push(ask);
  } else {
    into.set(key, { sum: amount, asks: [ask] });
  }
}

/**
 * The declared amounts the platform can use, by key; each key or amount it cannot
 * (one problem each) is left out, so that one mistake is reported once.
 */
function usableAmounts(node: QuotaNode, problems: QuotaProblem[], warnings: QuotaWarning[]): Map<string, Amount> {
  const out = new Map<string, Amount>();
  for (const [key, raw] of Object.entries(node.declared!)) {
    const text = String(raw);
    const verdict = classifyQuotaKey(key);
    if (verdict.status === 'refused') {
      problems.push({ rule: 'key', path: node.path, message: verdict.message! });
      continue;
    }
    if (verdict.status === 'inert') warnings.push({ rule: 'inert-key', path: node.path, message: verdict.message! });
    const amount = tryParseQuantity(text);
    if (typeof amount === 'string') {
      problems.push({ rule: 'invalid', path: node.path, message: MESSAGES.quotaInvalid(key, text, amount) });
      continue;
    }
    if (amount.isNegative()) {
      problems.push({ rule: 'negative', path: node.path, message: MESSAGES.quotaNegative(key, text) });
      continue;
    }
    if (verdict.integer && !amount.isInteger()) {
      problems.push({ rule: 'integer', path: node.path, message: MESSAGES.quotaNotInteger(key, text, formatQuantity(amount.floor()), formatQuantity(amount.ceil())) });
      continue;
    }
    if (RATIO_KEYS.includes(key) && /[nu]$/.test(text)) {
      const inMilli = formatQuantity(amount, '1m');
      problems.push({ rule: 'chart-unit', path: node.path, message: MESSAGES.quotaChartUnit(key, text, /[nu]$/.test(inMilli) ? '1m' : inMilli) });
      continue;
    }
    out.set(key, { text, amount });
  }
  return out;
}
