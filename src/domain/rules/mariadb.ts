/**
 * The mariadb chart's refusals (templates/backup-*.yaml, Cozystack v1.6.2).
 */
import { defineRules, RuleContext, RuleProblem, truthy } from './common';

/** @internal */
export const MARIADB_RULES = defineRules('mariadb', {
  'backup-fields': 'backup.enabled needs the S3 bucket, keys, restic password and cleanup strategy',
});

/** @internal */
export const MARIADB_MESSAGES = {
  backupField: (field: string) =>
    `backup.${field} is empty while backup.enabled is true: the mariadb chart refuses to render its backup job without it. Set backup.${field}.`,
} as const;

/** @internal */
export function mariadbProblems(spec: any, _ctx: RuleContext = {}): RuleProblem[] {
  const b = spec.backup ?? {};
  if (!truthy(b.enabled)) return [];
  return ['s3Bucket', 'cleanupStrategy', 's3AccessKey', 's3SecretKey', 'resticPassword']
    .filter(f => !truthy(b[f]))
    .map(f => ({ rule: MARIADB_RULES['backup-fields'].id, path: `spec.backup.${f}`, message: MARIADB_MESSAGES.backupField(f) }));
}
