/**
 * Every rule of the library by id, and each chart's synth-time checks. docs/chart-rules.md
 * names these ids; test/chart-rules.test.ts holds the table to them.
 */
import { API_RULES } from './api';
import { BOOTBOX_RULES, bootboxProblems } from './bootbox';
import { BUCKET_RULES } from './bucket';
import { CLICKHOUSE_RULES, clickhouseProblems } from './clickhouse';
import { ChartRuleCheck, RuleContext, RuleInfo, RuleProblem } from './common';
import { COZY_LIB_RULES, cozyLibProblems } from './cozy-lib';
import { CRON_RULES, cronProblems, cronWarnings, SECONDS_FIRST_CHARTS } from './cron';
import { EXTERNAL_DNS_RULES, externalDnsProblems } from './external-dns';
import { INGRESS_RULES, ingressProblems } from './ingress';
import { instanceTypeWarnings, KUBERNETES_RULES, kubernetesProblems, kubernetesWarnings } from './kubernetes';
import { KUBERNETES_NODES_RULES, kubernetesNodesProblems } from './kubernetes-nodes';
import { MARIADB_RULES, mariadbProblems } from './mariadb';
import { MONGODB_RULES, mongodbProblems } from './mongodb';
import { NATS_RULES, natsProblems } from './nats';
import { OPENSEARCH_RULES, opensearchProblems } from './opensearch';
import { POSTGRES_RULES, postgresProblems } from './postgres';
import { RABBITMQ_RULES, rabbitmqProblems } from './rabbitmq';
import { SCHEMA_RULES, VERSION_RULES } from './schema';
import { SEAWEEDFS_RULES, seaweedfsProblems } from './seaweedfs';
import { TENANT_RULES } from './tenant';
import { VM_DISK_RULES, vmDiskProblems } from './vm-disk';
import { VM_INSTANCE_RULES, vmInstanceProblems } from './vm-instance';

/** Every rule of the library, by id. @internal */
export const RULES: ReadonlyMap<string, RuleInfo> = new Map(
  [
    API_RULES, BUCKET_RULES, SCHEMA_RULES, VERSION_RULES, TENANT_RULES, COZY_LIB_RULES, KUBERNETES_RULES, KUBERNETES_NODES_RULES,
    POSTGRES_RULES, INGRESS_RULES, SEAWEEDFS_RULES, BOOTBOX_RULES, CLICKHOUSE_RULES, EXTERNAL_DNS_RULES,
    MARIADB_RULES, MONGODB_RULES, NATS_RULES, OPENSEARCH_RULES, RABBITMQ_RULES, VM_DISK_RULES, VM_INSTANCE_RULES, CRON_RULES,
  ].flatMap(group => Object.values<RuleInfo>(group)).map(r => [r.id, r]),
);

/** Each chart's own checks (cozy-lib's run for every chart). */
const CHART_CHECKS: { readonly [chart: string]: ChartRuleCheck } = {
  'kubernetes': kubernetesProblems,
  'kubernetes-nodes': kubernetesNodesProblems,
  'postgres': postgresProblems,
  'ingress': ingressProblems,
  'seaweedfs': seaweedfsProblems,
  'bootbox': bootboxProblems,
  'clickhouse': clickhouseProblems,
  'external-dns': externalDnsProblems,
  'mariadb': mariadbProblems,
  'mongodb': mongodbProblems,
  'nats': natsProblems,
  'opensearch': opensearchProblems,
  'rabbitmq': rabbitmqProblems,
  'vm-disk': vmDiskProblems,
  'vm-instance': vmInstanceProblems,
};

/** What of the context each chart's rules read (the others read only the spec). */
const CONTEXT_READ: { readonly [chart: string]: ReadonlyArray<keyof RuleContext> } = {
  'ingress': ['namespace'],
  'bootbox': ['namespace'],
  'nats': ['tenantHost'],
  'kubernetes-nodes': ['name'],
};

/**
 * The part of a context a chart's rules read, as a string: two objects with the same spec and
 * the same key get the same problems (callers cache by it).
 * @internal
 */
export function ruleContextKey(chart: string, ctx: RuleContext, release: string | undefined = ctx.release): string {
  let key = release ?? '';
  for (const k of CONTEXT_READ[chart] ?? []) key += `\u0001${String(ctx[k] ?? '')}`;
  return key;
}

/**
 * The chart's render-time refusals for a spec: `merged` is the spec with the chart's
 * defaults merged in, as the templates see it. Every problem is reported (none hides another).
 * @internal
 */
export function chartProblems(chart: string, merged: any, ctx: RuleContext = {}): RuleProblem[] {
  const own = CHART_CHECKS[chart];
  const found = [...(own ? own(merged ?? {}, ctx) : []), ...cozyLibProblems(merged ?? {}, ctx), ...cronProblems(chart, merged ?? {})];
  return ctx.release?.startsWith('v0.') ? found.filter(p => V0_RULES.has(p.rule)) : found;
}

/**
 * The rules whose chart code v0.41.11 already had (read in its templates): the others came
 * with v1 (the blocked Postgres parameters, restores, the kubelet checks, ...).
 */
const V0_RULES: ReadonlySet<string> = new Set([
  POSTGRES_RULES['reserved-user'].id, POSTGRES_RULES.size.id, POSTGRES_RULES['role-user'].id,
  POSTGRES_RULES['user-name'].id, POSTGRES_RULES['database-name'].id, COZY_LIB_RULES['flat-resources'].id,
  // The same operators and CronJobs read the schedules in v0.41.
  CRON_RULES.schedule.id,
]);

/** Each chart's synth-time warnings: what the cluster will most likely refuse, but only it knows. */
const CHART_WARNINGS: { readonly [chart: string]: (spec: any) => string[] } = {
  'kubernetes': kubernetesWarnings,
  'kubernetes-nodes': spec => instanceTypeWarnings([['instanceType', spec?.instanceType]]),
  'vm-instance': spec => instanceTypeWarnings([['instanceType', spec?.instanceType]]),
  // Schedules read seconds first (five fields parse, but not as they look).
  ...Object.fromEntries(SECONDS_FIRST_CHARTS.map(chart => [chart, (spec: any) => cronWarnings(chart, spec)])),
};

/** Whether a chart has synth-time warnings (so that a caller renders its spec only when needed). @internal */
export function hasChartWarnings(chart: string): boolean {
  return chart in CHART_WARNINGS;
}

/**
 * The chart's warnings for a spec as the user wrote it.
 * @internal
 */
export function chartWarnings(chart: string, spec: any): string[] {
  const own = CHART_WARNINGS[chart];
  return own ? own(spec ?? {}) : [];
}

export type { RuleContext, RuleInfo, RuleProblem } from './common';
