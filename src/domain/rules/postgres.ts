/**
 * The postgres chart's refusals (templates/db.yaml, init-script.yaml, Cozystack v1.6.2)
 * and the traps of its init job, checked at synth.
 */
import { at, closest, defineRules, orList, RuleContext, RuleProblem, secretKeyProblems, truthy } from './common';

/** @internal */
export const POSTGRES_RULES = defineRules('postgres', {
  'reserved-user': 'users.postgres is refused: the superuser is Cozystack\'s',
  'blocked-parameter': 'postgresql.parameters that run commands or load libraries are refused, in any letter case',
  'bootstrap-system-bucket': 'bootstrap.enabled with backup.useSystemBucket is refused',
  'bootstrap-credentials': 'bootstrap.enabled needs S3 credentials (inline pair or Secret)',
  'size': 'size must be set (null or "" removes the chart default)',
  'role-user': 'databases.*.roles name users that exist in users, spelled the same (grants to other names are silently dropped)',
  'user-name': 'user names are lowercase identifiers the init job can drop again, fit a Secret key and 63 bytes',
  'database-name': 'database names leave room for the _readonly role (54 characters)',
  'parameter-case': 'one postgresql.parameters name is not given twice in different letter case (PostgreSQL reads one, silently)',
  'bootstrap-old-name': 'a restore (bootstrap.enabled) names the cluster whose backups it reads (bootstrap.oldName)',
  'secret-keys': 'a backup credentials Secret the program declares holds the keys the chart reads from it',
});

/** The user name Cozystack keeps for the superuser it manages. @internal */
export const RESERVED_POSTGRES_USER = 'postgres';

/**
 * `postgresql.parameters` the chart refuses (they run commands or load libraries).
 * The chart lower-cases each key before comparing (db.yaml: `lower $key`), as
 * PostgreSQL itself reads parameter names case-insensitively.
 * @internal
 */
export const BLOCKED_POSTGRES_PARAMETERS: readonly string[] = [
  'archive_command',
  'restore_command',
  'ssl_passphrase_command',
  'archive_cleanup_command',
  'recovery_end_command',
  'dynamic_library_path',
  'local_preload_libraries',
  'session_preload_libraries',
  'shared_preload_libraries',
];

/** Parameters the chart sets unless the spec does (values.yaml max_connections, db.yaml max_wal_senders). */
const CHART_PARAMETER_DEFAULTS = ['max_connections', 'max_wal_senders'];

/** PostgreSQL truncates identifiers to 63 bytes (NAMEDATALEN - 1). */
const IDENTIFIER_MAX = 63;

/** @internal */
export const POSTGRES_MESSAGES = {
  postgresReservedUser: (name: string) =>
    `Postgres user "${name}" is reserved for the superuser that Cozystack manages. Rename the user, e.g. "app".`,
  postgresBlockedParameter: (param: string) => {
    const canonical = param.toLowerCase();
    const spelled = canonical === param ? '' : `; the chart lower-cases parameter names before it compares them, as PostgreSQL reads them, so "${param}" is ${canonical}`;
    return `postgresql.parameters.${param} is blocked by Cozystack's postgres chart (it runs commands or loads libraries on the server${spelled}). Remove it.`;
  },
  postgresBootstrapSystemBucket: () =>
    'bootstrap.enabled is true together with backup.useSystemBucket: the postgres chart refuses to restore from the platform bucket this way. '
    + 'Restore with a backups.cozystack.io RestoreJob against the system BackupClass instead, or set useSystemBucket: false and give S3 credentials.',
  postgresBootstrapCredentials: () =>
    'bootstrap.enabled is true but no S3 credentials are given: the postgres chart refuses to render a restore that would read a Secret nobody creates. '
    + 'Set backup.s3CredentialsSecret.name (or backupS3CredentialsSecret), or both backup.s3AccessKey and backup.s3SecretKey.',
  postgresSize: (value: unknown) =>
    `size is ${value === undefined || value === null ? 'not set (null removes the chart default)' : JSON.stringify(value)}: the postgres chart requires a volume size and refuses to render without one. Set it, e.g. size: "10Gi", or leave it out for the chart's default.`,
  postgresRoleUser: (db: string, role: string, user: string, users: string[]) => {
    const near = closest(user, users);
    const fix = near ? `Write "${near}"` : users.length > 0 ? `Use one of ${orList(users.map(u => `"${u}"`))}` : `Add users.${user}`;
    return `databases.${db}.roles.${role} names user "${user}", which is not in users: the chart's init job only grants roles to the users it manages and skips "${user}" without a word, so it never gets ${role} rights on "${db}". ${fix}${near || users.length === 0 ? '' : `, or add users.${user}`}.`;
  },
  postgresUserName: (user: string, why: string, suggestion: string) =>
    `Postgres user "${user}" ${why}. Rename it, e.g. "${suggestion}".`,
  postgresParameterCase: (param: string, others: string[]) =>
    `postgresql.parameters.${param} and ${others.map(o => `postgresql.parameters.${o}`).join(', ')} are the same PostgreSQL setting (names are read without regard to case), `
    + `and the chart writes both${others.some(o => o === o.toLowerCase() && CHART_PARAMETER_DEFAULTS.includes(o)) ? ` (${others.find(o => CHART_PARAMETER_DEFAULTS.includes(o))} is a chart default)` : ''}: `
    + `only one of them takes effect, and not necessarily "${param}". Write it once, in lower case: ${param.toLowerCase()}.`,
  postgresBootstrapOldName: () =>
    'bootstrap.enabled is true but bootstrap.oldName is empty: the chart makes the name the recovery source of the CloudNativePG Cluster, and a source without a name never restores. '
    + 'Set bootstrap.oldName to the name of the Postgres whose backups to restore.',
  postgresDatabaseName: (db: string) =>
    `Postgres database "${db}" has ${Buffer.byteLength(db)} bytes: the chart creates the roles "${db}_admin" and "${db}_readonly", and PostgreSQL cuts names at ${IDENTIFIER_MAX} bytes, so the init job cannot find the role it made and fails on its next run. Shorten the name to at most ${IDENTIFIER_MAX - '_readonly'.length} characters.`,
  plaintextPassword: (user: string) =>
    `Postgres user "${user}" has an explicit password: it would be stored in plain text in the Postgres object and its HelmRelease. Leave it out (Cozystack generates one into the credentials Secret), or set allowPlaintextSecrets: true to accept that.`,
  plaintextBackupKey: (field: string) =>
    `backup.${field} puts an S3 credential in plain text into the Postgres object. Reference a Secret instead (backupS3CredentialsSecret, or backup.s3CredentialsSecret.name), or set allowPlaintextSecrets: true to accept that.`,
} as const;

const M = POSTGRES_MESSAGES;
const R = POSTGRES_RULES;

/** A user name the init job handles: lowercase, so its unquoted DROP USER finds the role. */
const SAFE_USER = /^[a-z_][a-z0-9_]*$/;

function suggestUser(user: string): string {
  const s = user.toLowerCase().replace(/[^a-z0-9_]/g, '_').replace(/^[^a-z_]+/, '').slice(0, IDENTIFIER_MAX);
  return s.length > 0 ? s : 'app';
}

/**
 * The postgres chart's refusals and init-job traps for a spec (chart defaults merged).
 * @internal
 */
export function postgresProblems(spec: any, _ctx: RuleContext = {}): RuleProblem[] {
  const out: RuleProblem[] = [];
  const users = (spec.users ?? {}) as Record<string, unknown>;
  const userNames = Object.keys(users);
  // The init script (and with it this refusal) is not rendered while a restore runs.
  if (!truthy(at(spec, 'bootstrap.enabled')) && RESERVED_POSTGRES_USER in users) {
    out.push({ rule: R['reserved-user'].id, path: `spec.users.${RESERVED_POSTGRES_USER}`, message: M.postgresReservedUser(RESERVED_POSTGRES_USER) });
  }
  for (const user of userNames) {
    if (user === RESERVED_POSTGRES_USER) continue;
    let why: string | undefined;
    if (Buffer.byteLength(user) > IDENTIFIER_MAX) {
      why = `has ${Buffer.byteLength(user)} bytes: PostgreSQL cuts role names at ${IDENTIFIER_MAX}, so the init job does not find the role it created and fails on its next run`;
    } else if (!/^[-._a-zA-Z0-9]+$/.test(user)) {
      why = 'cannot be a key of the credentials Secret (letters, digits, "-", "_" and "." only), so the chart\'s Secret is refused';
    } else if (!SAFE_USER.test(user)) {
      why = 'is not a lowercase identifier: the chart creates the role quoted, but its init job drops removed users unquoted (DROP USER '
        + `${user}), which PostgreSQL reads as "${user.toLowerCase()}", so removing this user later fails the job on every run`;
    }
    if (why) out.push({ rule: R['user-name'].id, path: `spec.users.${user}`, message: M.postgresUserName(user, why, suggestUser(user)) });
  }
  // The chart merges its max_wal_senders under the user's parameters, keys as written.
  const params = [...new Set([...Object.keys(at(spec, 'postgresql.parameters') ?? {}), 'max_wal_senders'])];
  for (const param of params) {
    const others = params.filter(o => o !== param && o.toLowerCase() === param.toLowerCase());
    if (param !== param.toLowerCase() && others.length > 0 && !BLOCKED_POSTGRES_PARAMETERS.includes(param.toLowerCase())) {
      out.push({ rule: R['parameter-case'].id, path: `spec.postgresql.parameters.${param}`, message: M.postgresParameterCase(param, others) });
    }
  }
  for (const param of Object.keys(at(spec, 'postgresql.parameters') ?? {})) {
    if (BLOCKED_POSTGRES_PARAMETERS.includes(param.toLowerCase())) {
      out.push({ rule: R['blocked-parameter'].id, path: `spec.postgresql.parameters.${param}`, message: M.postgresBlockedParameter(param) });
    }
  }
  if (truthy(at(spec, 'bootstrap.enabled'))) {
    if (truthy(at(spec, 'backup.useSystemBucket'))) {
      out.push({ rule: R['bootstrap-system-bucket'].id, path: 'spec.bootstrap.enabled', message: M.postgresBootstrapSystemBucket() });
    } else {
      const secret = truthy(at(spec, 'backup.s3CredentialsSecret.name'));
      const inline = truthy(at(spec, 'backup.s3AccessKey')) && truthy(at(spec, 'backup.s3SecretKey'));
      if (!secret && !inline) out.push({ rule: R['bootstrap-credentials'].id, path: 'spec.bootstrap.enabled', message: M.postgresBootstrapCredentials() });
    }
    if (!truthy(at(spec, 'bootstrap.oldName'))) {
      out.push({ rule: R['bootstrap-old-name'].id, path: 'spec.bootstrap.oldName', message: M.postgresBootstrapOldName() });
    }
  }
  if (!truthy(spec.size) && spec.size !== 0) {
    out.push({ rule: R.size.id, path: 'spec.size', message: M.postgresSize(spec.size) });
  }
  for (const [db, d] of Object.entries<any>(spec.databases ?? {})) {
    if (Buffer.byteLength(db) > IDENTIFIER_MAX - '_readonly'.length) {
      out.push({ rule: R['database-name'].id, path: `spec.databases.${db}`, message: M.postgresDatabaseName(db) });
    }
    for (const role of ['admin', 'readonly']) {
      const listed = d?.roles?.[role];
      if (!Array.isArray(listed)) continue;
      listed.forEach((user: unknown, i: number) => {
        if (typeof user === 'string' && !(user in users)) {
          out.push({ rule: R['role-user'].id, path: `spec.databases.${db}.roles.${role}[${i}]`, message: M.postgresRoleUser(db, role, user, userNames) });
        }
      });
    }
  }
  return out;
}

/**
 * The keys the chart reads from a backup credentials Secret the program declares
 * (db.yaml: accessKeyIDKey and secretAccessKeyKey, AWS_* by default), when backups or a
 * restore use it.
 * @internal
 */
export function postgresSecretKeyProblems(spec: any, secretName: string, keys: readonly string[] | undefined): RuleProblem[] {
  const uses = (truthy(at(spec, 'backup.enabled')) || truthy(at(spec, 'bootstrap.enabled'))) && !truthy(at(spec, 'backup.useSystemBucket'));
  if (!uses) return [];
  return secretKeyProblems(R['secret-keys'].id, 'spec.backup.s3CredentialsSecret', 'backupS3CredentialsSecret', secretName, keys, [
    { key: at(spec, 'backup.s3CredentialsSecret.accessKeyIDKey') || 'AWS_ACCESS_KEY_ID', setting: 'backup.s3CredentialsSecret.accessKeyIDKey', what: 'the S3 access key id' },
    { key: at(spec, 'backup.s3CredentialsSecret.secretAccessKeyKey') || 'AWS_SECRET_ACCESS_KEY', setting: 'backup.s3CredentialsSecret.secretAccessKeyKey', what: 'the S3 secret key' },
  ]);
}
