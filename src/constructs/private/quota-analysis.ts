/**
 * The platform's quota report (src/quotas.ts), computed once per state of the tenant
 * tree and shared by every tenant's validation and by topology.json.
 */
import { IConstruct } from 'constructs';
import { QuotaNode, quotaReport, QuotaReport } from '../../domain/quotas';
import { ITenant } from '../tenant';
import { CozystackVersion } from '../../domain/versions';
import { platformState, tenantState } from './state';

interface Cached {
  readonly generation: number;
  readonly report: QuotaReport;
  readonly byPath: Map<string, string[]>;
}

const cache = new WeakMap<IConstruct, Cached>();

function quotaTree(t: ITenant): QuotaNode {
  return {
    path: t.node.path,
    namespace: t.namespace,
    declared: (t as any).resourceQuotas,
    children: (tenantState(t).children as unknown as ITenant[]).map(quotaTree),
  };
}

function analysis(root: ITenant): Cached {
  const st = platformState(root);
  const hit = cache.get(root);
  if (hit && hit.generation === st.generation) return hit;
  const report = quotaReport(quotaTree(root));
  const hierarchical = st.version.isAtLeast(CozystackVersion.V1_6);
  const byPath = new Map<string, string[]>();
  for (const p of report.problems) {
    // Text that is not a quantity is the chart schema's finding; overdraft is a v1.6 rule.
    if (p.rule === 'invalid' || (p.rule === 'overdrawn' && !hierarchical)) continue;
    const list = byPath.get(p.path) ?? [];
    list.push(p.message);
    byPath.set(p.path, list);
  }
  const fresh = { generation: st.generation, report, byPath };
  cache.set(root, fresh);
  return fresh;
}

/** The quota problems reported on one tenant. @internal */
export function quotaProblemsOf(root: ITenant, tenantPath: string): string[] {
  return analysis(root).byPath.get(tenantPath) ?? [];
}

/** A tenant's quota for topology.json: declared, and on v1.6 its effective and remaining budget. @internal */
export function quotaOf(root: ITenant, tenant: ITenant): any {
  const budget = analysis(root).report.budgets.get(tenant.namespace);
  if (!budget) return undefined;
  const hierarchical = platformState(root).version.isAtLeast(CozystackVersion.V1_6);
  const empty = Object.keys(budget.declared).length === 0 && Object.keys(budget.effective).length === 0;
  if (empty) return undefined;
  return hierarchical ? { declared: budget.declared, effective: budget.effective, remaining: budget.remaining } : { declared: budget.declared };
}
