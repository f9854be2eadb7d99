/**
 * The mariadb chart's refusals (templates/backup-*.yaml, Cozystack v1.6.2).
 */
import { defineRules, isPlaceholder, RuleContext, RuleProblem, truthy } from './common';

/** @internal */
export const MARIADB_RULES = defineRules('mariadb', {
  'backup-fields': 'backup.enabled needs the S3 bucket, keys, restic password and cleanup strategy, not the chart\'s <placeholders>',
});

/** @internal */
export const MARIADB_MESSAGES = {
  backupField: (field: string) =>
    `backup.${field} is empty while backup.enabled is true: the mariadb chart refuses to render its backup job without it. Set backup.${field}.`,
  backupPlaceholder: (field: string, value: string) =>
    `backup.${field} is still the chart's placeholder "${value}" while backup.enabled is true: the backup job would run with it and fail every time. Set backup.${field}.`,
} as const;

/** @internal */
export function mariadbProblems(spec: any, _ctx: RuleContext = {}): RuleProblem[] {
  const b = spec.backup ?? {};
  if (!truthy(b.enabled)) return [];
  return ['s3Bucket', 'cleanupStrategy', 's3AccessKey', 's3SecretKey', 'resticPassword'].flatMap(f => {
    const rule = MARIADB_RULES['backup-fields'].id;
    if (!truthy(b[f])) return [{ rule, path: `spec.backup.${f}`, message: MARIADB_MESSAGES.backupField(f) }];
    if (isPlaceholder(b[f])) return [{ rule, path: `spec.backup.${f}`, message: MARIADB_MESSAGES.backupPlaceholder(f, b[f]) }];
    return [];
  });
}
