import * as plus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CozystackAppBase, CozystackAppProps } from './cozystack-app';
import { chartData, helmMerge } from '../domain/charts';
import { appHost } from '../domain/inheritance';
import { credentialOf, endpointOf, releaseName, renderTemplate } from '../domain/registry';
import { PostgresValues } from '../generated';
import { canonical, renderedSpec } from './private/api-object';
import { MESSAGES } from '../domain/rules';
import { declaredSecretKeys } from './private/secret-keys';
import { postgresSecretKeyProblems, RESERVED_POSTGRES_USER } from '../domain/rules/postgres';
import { checkSpec } from '../domain/validation';

/**
 * Properties of a {@link Postgres}: every value of Cozystack's `postgres` chart, plus
 * the library's safeguards for secrets.
 */
export interface PostgresProps extends PostgresValues, CozystackAppProps {
  /**
   * Accept secrets written in plain text into the Postgres object (user passwords,
   * `backup.s3AccessKey`/`s3SecretKey`). They are stored unencrypted in the object and
   * its HelmRelease on the management cluster; each use is warned about.
   *
   * @default false - such values are refused.
   */
  readonly allowPlaintextSecrets?: boolean;

  /**
   * The Secret (in the tenant namespace) with the S3 credentials of backups. Sets
   * `backup.s3CredentialsSecret.name`; the key names stay as given in
   * `backup.s3CredentialsSecret` (or the chart's defaults).
   *
   * @default - `backup.s3CredentialsSecret` as given.
   */
  readonly backupS3CredentialsSecret?: plus.ISecret;
}

/** Props of the library that are not chart values. */
const LIBRARY_PROPS = ['name', 'allowPlaintextSecrets', 'backupS3CredentialsSecret'] as const;

/**
 * A managed Postgres (`apps.cozystack.io/v1alpha1` `Postgres`) in a tenant.
 *
 * ```ts
 * new Postgres(tenant, 'db1', { users: { app: {} }, databases: { app: { roles: { admin: ['app'] } } } });
 * ```
 */
export class Postgres extends CozystackAppBase {
  /** The external TLS name, `postgres-<name>.<tenant host>`. */
  public readonly host: string;
  /** The Secret (in the tenant namespace) with the users' credentials. */
  public readonly credentialsSecretName: string;
  /** In-cluster host of the read-write service. */
  public readonly readWriteHost: string;
  /** In-cluster host of the read-only service (replicas only). */
  public readonly readOnlyHost: string;
  /** In-cluster host of the read service (any instance). */
  public readonly readHost: string;

  private readonly props: PostgresProps;

  /**
   * @param tenant the tenant (or a construct of yours inside it)
   * @param id the construct id, also the database's name unless `props.name` is given
   * @param props the postgres chart's values and the database's name (a DNS-1035 label of at most 44 characters)
   */
  public constructor(tenant: Construct, id: string, props: PostgresProps = {}) {
    super(tenant, id, 'Postgres', props.name);
    this.props = props;
    const def = this._definition;
    const names = { name: this.name, namespace: this.namespace };
    const service = (endpoint: string) => `${renderTemplate(endpointOf(def, endpoint).name, names)}.${this.namespace}.svc`;
    this.host = appHost(releaseName(def, this.name), this.tenant.host);
    this.credentialsSecretName = renderTemplate(credentialOf(def, 'credentials').secret, names);
    this.readWriteHost = service('rw');
    this.readOnlyHost = service('ro');
    this.readHost = service('r');
    this.node.addValidation({ validate: () => this.validatePostgres() });
    this._core.platform.addWarnings(this, () => props.allowPlaintextSecrets ? this.plaintextSecrets().map(s => MESSAGES.plaintextAccepted(s)) : []);
  }

  /**
   * The users of the spec: the credentials Secret holds one password per user.
   * @internal
   */
  public _credentialUsers(): string[] {
    return Object.keys(this.props.users ?? {}).sort();
  }

  protected renderSpec(): { [key: string]: any } {
    const values: Record<string, any> = { ...this.props };
    for (const k of LIBRARY_PROPS) delete values[k];
    const spec = canonical(values) as Record<string, any>; // a fresh deep copy without undefined entries
    if (this._version.major === 0 && spec.postgresql?.parameters) {
      // v0.41 types some parameters (max_connections) as integers; users write strings.
      const declared = chartData('v0.41.11', 'postgres').schema.properties?.postgresql?.properties?.parameters?.properties ?? {};
      for (const [k, v] of Object.entries<any>(spec.postgresql.parameters)) {
        if (declared[k]?.type === 'integer' && typeof v === 'string' && /^-?\d+$/.test(v)) spec.postgresql.parameters[k] = Number(v);
      }
    }
    if (this.props.backupS3CredentialsSecret) {
      spec.backup = { ...spec.backup };
      spec.backup.s3CredentialsSecret = { ...spec.backup.s3CredentialsSecret, name: this.props.backupS3CredentialsSecret.name };
    }
    return spec;
  }

  /** What the spec carries in plain text. */
  private plaintextSecrets(): string[] {
    const spec = renderedSpec(this.apiObject);
    const found: string[] = [];
    for (const [user, u] of Object.entries<any>(spec.users ?? {})) {
      if (u?.password) found.push(`The password of Postgres user "${user}"`);
    }
    for (const field of ['s3AccessKey', 's3SecretKey']) {
      if (spec.backup?.[field]) found.push(`backup.${field}`);
    }
    return found;
  }

  private validatePostgres(): string[] {
    const errors: string[] = [];
    // The name and the version are the rules every app shares (CozystackAppBase).
    if (!this._servedByVersion) return errors;
    const spec = renderedSpec(this.apiObject);
    // The chart's refusals (reserved user, blocked parameters, ...) are src/domain/rules/postgres.ts, run by checkSpec.
    const s3 = this.props.backupS3CredentialsSecret;
    if (s3) errors.push(...postgresSecretKeyProblems(helmMerge(chartData(this._version.chartRelease, 'postgres').values, spec), s3.name, declaredSecretKeys(s3)).map(p => p.message));
    if (!this.props.allowPlaintextSecrets) {
      for (const [user, u] of Object.entries<any>(spec.users ?? {})) {
        if (u?.password && user !== RESERVED_POSTGRES_USER) errors.push(MESSAGES.plaintextPassword(user));
      }
      for (const field of ['s3AccessKey', 's3SecretKey']) {
        if (spec.backup?.[field]) errors.push(MESSAGES.plaintextBackupKey(field));
      }
    }
    errors.push(...checkSpec(this._version, 'postgres', spec, [], { name: this.name, namespace: this.namespace, tenantHost: this.tenant.host }));
    return errors;
  }
}
