/**
 * Hierarchical tenant quotas (SPEC §3, Cozystack v1.6), as pure functions over a tree.
 *
 * Since v1.6 a tenant's `resourceQuotas` is the budget of its whole subtree. For each
 * key (compared verbatim: `cpu` and `requests.cpu` are different keys), a tenant that
 * declares the key carves its amount out of the budget of its nearest ancestor that
 * declares the same key; a tenant that does not declare it shares that ancestor's
 * pool. What the nearest declaring descendants ask together may not exceed the
 * declaring tenant's amount. A key no ancestor declares is the tenant's own.
 *
 * One walk of the tree serves every key, so the cost is linear in the number of
 * tenants times the keys in scope (the size of the output).
 * @internal
 */
import { formatQuantity, Quantity, tryParseQuantity } from './quantity';
import { MESSAGES } from './rules';

/** What a declaring descendant asks of a pool. @internal */
export interface QuotaAsk {
  readonly namespace: string;
  /** The amount as the child wrote it. */
  readonly amount: string;
}


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

/** A broken quota rule, on the construct path of the tenant that must change. @internal */
export interface QuotaProblem {
  /** Which rule: an amount that is not a quantity, a negative one, or a pool overdrawn by sub-tenants. */
  readonly rule: 'invalid' | 'negative' | 'overdrawn';
  readonly path: string;
  readonly message: string;
}

/** One key of a tenant's effective budget. @internal */
export interface EffectiveQuota {
  /** The tenant's own amount, or what is left of the shared pool. */
  readonly amount: string;
  /** Namespace of the tenant whose declaration is the pool. */
  readonly pool: string;
  /** False when the tenant declares the key itself. */
  readonly shared: boolean;
}

/** What a tenant may use, per key. @internal */
export interface TenantBudget {
  /** The tenant's `resourceQuotas`, as written (invalid values included). */
  readonly declared: { [key: string]: string };
  /**
   * Every key in scope: the tenant's own declarations, and the remaining budget of
   * the nearest ancestor declaring each key it does not. Keys whose pool holds an
   * invalid or negative quantity are left out (a problem is reported for them).
   */
  readonly effective: { [key: string]: EffectiveQuota };
  /** For each valid declared key: the amount minus what declaring descendants carved out, never below 0. */
  readonly remaining: { [key: string]: string };
}

/** Problems and budgets from one walk. @internal */
export interface QuotaReport {
  readonly problems: QuotaProblem[];
  /** By namespace, in tree pre-order. */
  readonly budgets: Map<string, TenantBudget>;
}

/** One (tenant, key) declaration: a pool that descendants carve from. */
interface Pool {
  readonly owner: QuotaNode;
  readonly path: string;
  readonly namespace: string;
  readonly key: string;
  readonly text: string;
  /** Undefined when the text is not a usable quantity: nothing is checked against this pool. */
  readonly amount?: Quantity;
  carved: Quantity;
  readonly asks: QuotaAsk[];
  /** Set after the walk, for usable amounts only. */
  views?: { readonly remaining: string; readonly own: EffectiveQuota; readonly shared: EffectiveQuota };
}

/** The nearest declaring ancestor-or-self per key; shared between tenants that declare nothing. */
type Scope = ReadonlyMap<string, Pool>;

/**
 * Every quota rule broken in the tree: each invalid or negative quantity, on the
 * tenant declaring it, then each overdrawn (tenant, key), on that tenant, in tree order.
 * @internal
 */
export function quotaProblems(root: QuotaNode): QuotaProblem[] {
  return walk(root).problems;
}

/**
 * Each tenant's declared, effective and remaining budget, by namespace.
 * @internal
 */
export function quotaBudgets(root: QuotaNode): Map<string, TenantBudget> {
  return budgetsOf(walk(root));
}

/**
 * Problems and budgets together, from a single walk (for callers that need both).
 * @internal
 */
export function quotaReport(root: QuotaNode): QuotaReport {
  const w = walk(root);
  return { problems: w.problems, budgets: budgetsOf(w) };
}

interface Walk {
  readonly problems: QuotaProblem[];
  /** Every tenant in pre-order, with the pools in its scope. */
  readonly nodes: QuotaNode[];
  readonly scopes: Scope[];
}

function walk(root: QuotaNode): Walk {
  const problems: QuotaProblem[] = [];
  const pools: Pool[] = [];
  const nodes: QuotaNode[] = [];
  const scopes: Scope[] = [];

  // Iterative pre-order walk: deep trees must not exhaust the call stack, and
  // pre-order keeps problems and asks in declaration order.
  const stack: QuotaNode[] = [root];
  const stackScopes: Scope[] = [new Map()];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const inherited = stackScopes.pop()!;
    let scope = inherited;
    if (node.declared !== undefined && Object.keys(node.declared).length > 0) {
      const own = new Map(inherited);
      for (const [key, text] of Object.entries(node.declared)) {
        const amount = usableAmount(node, key, text, problems);
        const parent = inherited.get(key);
        if (amount && parent?.amount) {
          parent.carved = parent.carved.add(amount);
          parent.asks.push({ namespace: node.namespace, amount: text });
        }
        const pool: Pool = { owner: node, path: node.path, namespace: node.namespace, key, text, amount, carved: Quantity.ZERO, asks: [] };
        pools.push(pool);
        own.set(key, pool);
      }
      scope = own;
    }
    nodes.push(node);
    scopes.push(scope);
    for (let i = node.children.length - 1; i >= 0; i--) {
      stack.push(node.children[i]);
      stackScopes.push(scope);
    }
  }

  for (const pool of pools) {
    if (!pool.amount) continue;
    const left = pool.amount.sub(pool.carved);
    if (left.isNegative()) {
      const sum = formatQuantity(pool.carved, pool.text);
      const over = formatQuantity(left.neg(), pool.text);
      problems.push({ rule: 'overdrawn', path: pool.path, message: MESSAGES.quotaOverdrawn(pool.namespace, pool.key, pool.text, pool.asks, sum, over) });
    }
    const remaining = formatQuantity(left.isNegative() ? Quantity.ZERO : left, pool.text);
    // One frozen view per pool, shared by every tenant that sees it (100,000 tenants must not mean 100,000 copies).
    pool.views = {
      remaining,
      own: Object.freeze({ amount: pool.text, pool: pool.namespace, shared: false }),
      shared: Object.freeze({ amount: remaining, pool: pool.namespace, shared: true }),
    };
  }
  return { problems, nodes, scopes };
}

function budgetsOf(w: Walk): Map<string, TenantBudget> {
  const budgets = new Map<string, TenantBudget>();
  for (let i = 0; i < w.nodes.length; i++) {
    const node = w.nodes[i];
    const effective: { [key: string]: EffectiveQuota } = {};
    const remaining: { [key: string]: string } = {};
    for (const [key, pool] of w.scopes[i]) {
      if (pool.views === undefined) continue;
      if (pool.owner === node) {
        effective[key] = pool.views.own;
        remaining[key] = pool.views.remaining;
      } else {
        effective[key] = pool.views.shared;
      }
    }
    budgets.set(node.namespace, { declared: { ...node.declared }, effective, remaining });
  }
  return budgets;
}

/** The quantity `text` stands for, or undefined (with a problem) when it cannot be a quota. */
function usableAmount(node: QuotaNode, key: string, text: string, problems: QuotaProblem[]): Quantity | undefined {
  const amount = tryParseQuantity(text);
  if (typeof amount === 'string') {
    problems.push({ rule: 'invalid', path: node.path, message: MESSAGES.quotaInvalid(key, String(text), amount) });
    return undefined;
  }
  if (amount.isNegative()) {
    problems.push({ rule: 'negative', path: node.path, message: MESSAGES.quotaNegative(key, text) });
    return undefined;
  }
  return amount;
}
