/**
 * The mongodb chart's refusals (templates/mongodb.yaml, restore.yaml, backup-secret.yaml,
 * Cozystack v1.6.2) and the trap of a role naming a user that does not exist.
 */
import { closest, defineRules, RuleContext, RuleProblem, truthy } from './common';

/** @internal */
export const MONGODB_RULES = defineRules('mongodb', {
  'user-role': 'every user has a role in some databases.*.roles',
  'role-user': 'databases.*.roles name users that exist in users, spelled the same',
  'backup-fields': 'backup or bootstrap need S3 keys; bootstrap also the backup name, path and endpoint',
});

/** @internal */
export const MONGODB_MESSAGES = {
  userRole: (user: string) =>
    `MongoDB user "${user}" has no role in any database: the mongodb chart refuses users without one. Add "${user}" to databases.<db>.roles.admin or .readonly, or remove the user.`,
  roleUser: (db: string, role: string, user: string, users: string[]) => {
    const near = closest(user, users);
    return `databases.${db}.roles.${role} names user "${user}", which is not in users: the operator gets a role for a user nobody creates. ${near ? `Write "${near}"` : `Add users.${user}`}.`;
  },
  backupField: (field: string, why: string) =>
    `${field} is empty while ${why}: the mongodb chart refuses to render without it. Set ${field}.`,
} as const;

/** @internal */
export function mongodbProblems(spec: any, _ctx: RuleContext = {}): RuleProblem[] {
  const out: RuleProblem[] = [];
  const R = MONGODB_RULES;
  const users = Object.keys(spec.users ?? {});
  const withRole = new Set<string>();
  for (const [db, d] of Object.entries<any>(spec.databases ?? {})) {
    for (const role of ['admin', 'readonly']) {
      ((d?.roles?.[role] ?? []) as unknown[]).forEach((u, i) => {
        if (typeof u !== 'string') return; // a wrong type is the schema's to report
        const user = u;
        withRole.add(user);
        if (!users.includes(user)) out.push({ rule: R['role-user'].id, path: `spec.databases.${db}.roles.${role}[${i}]`, message: MONGODB_MESSAGES.roleUser(db, role, user, users) });
      });
    }
  }
  for (const user of users) {
    if (!withRole.has(user)) out.push({ rule: R['user-role'].id, path: `spec.users.${user}`, message: MONGODB_MESSAGES.userRole(user) });
  }
  const b = spec.backup ?? {};
  const bootstrap = truthy(spec.bootstrap?.enabled);
  const need: Array<[string, string]> = [];
  if (bootstrap) {
    need.push(['bootstrap.backupName', 'bootstrap.enabled is true'], ['backup.destinationPath', 'bootstrap.enabled is true'], ['backup.endpointURL', 'bootstrap.enabled is true']);
  }
  if (bootstrap || truthy(b.enabled)) {
    const why = bootstrap ? 'bootstrap.enabled is true' : 'backup.enabled is true';
    need.push(['backup.s3AccessKey', why], ['backup.s3SecretKey', why]);
  }
  for (const [field, why] of need) {
    const [obj, key] = field.split('.');
    if (!truthy(spec[obj]?.[key])) out.push({ rule: R['backup-fields'].id, path: `spec.${field}`, message: MONGODB_MESSAGES.backupField(field, why) });
  }
  return out;
}
