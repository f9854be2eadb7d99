/**
 * The clickhouse chart's refusals (templates/backup-*.yaml, clickhouse.yaml, Cozystack v1.6.2).
 */
import { at, defineRules, isPlaceholder, RuleContext, RuleProblem, truthy } from './common';

/** @internal */
export const CLICKHOUSE_RULES = defineRules('clickhouse', {
  'backup-fields': 'backups the chart runs itself need the S3 bucket, region, keys, restic password and cleanup strategy, not the chart\'s <placeholders>',
  'backup-path-override': 'backup.s3PathOverride is refused together with backup.useSystemBucket (when backups are enabled)',
});

/** @internal */
export const CLICKHOUSE_MESSAGES = {
  backupField: (field: string, why: string) =>
    `backup.${field} is empty, but ${why}: the clickhouse chart refuses to render without it. Set backup.${field}${field === 's3AccessKey' || field === 's3SecretKey' ? ', or name a Secret in backup.s3CredentialsSecret.name' : ''}.`,
  backupPlaceholder: (field: string, value: string) =>
    `backup.${field} is still the chart's placeholder "${value}" while backups are enabled: the backups would run with it and fail every time. Set backup.${field}, or name a Secret in backup.s3CredentialsSecret.name.`,
  pathOverride: (value: string) =>
    `backup.s3PathOverride is "${value}" while backup.useSystemBucket is true: the platform bucket scopes the path to <namespace>/<release> itself, so the chart refuses an override. Clear s3PathOverride, or set useSystemBucket: false.`,
} as const;

/** @internal */
export function clickhouseProblems(spec: any, _ctx: RuleContext = {}): RuleProblem[] {
  const out: RuleProblem[] = [];
  const b = spec.backup ?? {};
  const R = CLICKHOUSE_RULES;
  // The sidecar (and this refusal) is rendered only with backup.enabled.
  if (truthy(b.enabled) && truthy(b.useSystemBucket) && truthy(b.s3PathOverride)) {
    out.push({ rule: R['backup-path-override'].id, path: 'spec.backup.s3PathOverride', message: CLICKHOUSE_MESSAGES.pathOverride(String(b.s3PathOverride)) });
  }
  if (!truthy(b.enabled) || truthy(b.useSystemBucket)) return out;
  const need = new Map<string, string>();
  // backup-strategy-secret.yaml: the sidecar's S3 settings when no Secret is named.
  if (!truthy(at(b, 's3CredentialsSecret.name'))) {
    for (const f of ['s3Bucket', 's3Region', 's3AccessKey', 's3SecretKey']) need.set(f, 'backup is enabled without backup.s3CredentialsSecret.name');
  }
  // backup-cronjob.yaml and backup-secret.yaml: the scheduled restic job.
  if (truthy(b.schedule)) {
    for (const f of ['s3Bucket', 'cleanupStrategy', 's3AccessKey', 's3SecretKey', 'resticPassword']) need.set(f, `backup.schedule is "${b.schedule}"`);
  }
  for (const [f, why] of need) {
    if (!truthy(b[f])) out.push({ rule: R['backup-fields'].id, path: `spec.backup.${f}`, message: CLICKHOUSE_MESSAGES.backupField(f, why) });
    else if (isPlaceholder(b[f])) out.push({ rule: R['backup-fields'].id, path: `spec.backup.${f}`, message: CLICKHOUSE_MESSAGES.backupPlaceholder(f, b[f]) });
  }
  return out;
}
