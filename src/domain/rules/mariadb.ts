/**
 * The mariadb chart's refusals (templates/backup-*.yaml, Cozystack v1.6.2).
 */
import { closest, defineRules, isPlaceholder, RuleContext, RuleProblem, truthy } from './common';

/** @internal */
export const MARIADB_RULES = defineRules('mariadb', {
  'backup-fields': 'backup.enabled needs the S3 bucket, keys, restic password and cleanup strategy, not the chart\'s <placeholders>',
  'role-user': 'databases.*.roles name users that exist in users, spelled the same',
  'object-name': 'database and user names make valid object names (lowercase; the chart only turns _ into -)',
});

/** @internal */
export const MARIADB_MESSAGES = {
  backupField: (field: string) =>
    `backup.${field} is empty while backup.enabled is true: the mariadb chart refuses to render its backup job without it. Set backup.${field}.`,
  backupPlaceholder: (field: string, value: string) =>
    `backup.${field} is still the chart's placeholder "${value}" while backup.enabled is true: the backup job would run with it and fail every time. Set backup.${field}.`,
  roleUser: (db: string, role: string, user: string, users: string[]) => {
    const near = closest(user, users);
    return `databases.${db}.roles.${role} names user "${user}", which is not in users: the chart creates a Grant for a user nobody creates, and the operator retries it forever. `
      + `${near ? `Write "${near}"` : `Add users.${user}`}.`;
  },
  objectName: (what: string, name: string, object: string) =>
    `MariaDB ${what} "${name}" becomes the ${object} object name "...-${name.replace(/_/g, '-')}", which Kubernetes refuses (object names are lowercase letters, digits, "-" and "."). `
    + `Rename it, e.g. "${name.toLowerCase().replace(/[^a-z0-9_.-]/g, '_')}".`,
} as const;

/** The part of an object name the chart makes of a database or user name (`_` becomes `-`). */
const OBJECT_NAME_PART = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** @internal */
export function mariadbProblems(spec: any, _ctx: RuleContext = {}): RuleProblem[] {
  const out: RuleProblem[] = [];
  const users = Object.keys(spec.users ?? {});
  const R = MARIADB_RULES;
  // user.yaml skips root; every other user is a User object <release>-<user>.
  for (const user of users) {
    if (user !== 'root' && !OBJECT_NAME_PART.test(user.replace(/_/g, '-'))) {
      out.push({ rule: R['object-name'].id, path: `spec.users.${user}`, message: MARIADB_MESSAGES.objectName('user', user, 'User') });
    }
  }
  for (const [db, d] of Object.entries<any>(spec.databases ?? {})) {
    if (!OBJECT_NAME_PART.test(db.replace(/_/g, '-'))) {
      out.push({ rule: R['object-name'].id, path: `spec.databases.${db}`, message: MARIADB_MESSAGES.objectName('database', db, 'Database') });
    }
    for (const role of ['admin', 'readonly']) {
      ((d?.roles?.[role] ?? []) as unknown[]).forEach((u, i) => {
        if (typeof u !== 'string') return; // a wrong type is the schema's to report
        const user = u;
        if (!users.includes(user)) out.push({ rule: R['role-user'].id, path: `spec.databases.${db}.roles.${role}[${i}]`, message: MARIADB_MESSAGES.roleUser(db, role, user, users) });
      });
    }
  }
  return [...out, ...backupProblems(spec)];
}

function backupProblems(spec: any): RuleProblem[] {
  const b = spec.backup ?? {};
  if (!truthy(b.enabled)) return [];
  return ['s3Bucket', 'cleanupStrategy', 's3AccessKey', 's3SecretKey', 'resticPassword'].flatMap(f => {
    const rule = MARIADB_RULES['backup-fields'].id;
    if (!truthy(b[f])) return [{ rule, path: `spec.backup.${f}`, message: MARIADB_MESSAGES.backupField(f) }];
    if (isPlaceholder(b[f])) return [{ rule, path: `spec.backup.${f}`, message: MARIADB_MESSAGES.backupPlaceholder(f, b[f]) }];
    return [];
  });
}
