import { Construct } from 'constructs';
import { ResourceQuantities } from './common';
import { CozystackAppBase } from './cozystack-app';
import { appHost } from './inheritance';
import { checkSpec } from './private/validation';
import { BLOCKED_POSTGRES_PARAMETERS, LIMITS, MESSAGES, PATTERNS, RESERVED_POSTGRES_USER } from './rules';

/** A Postgres user. */
export interface PostgresUser {
  /**
   * Allow the user to replicate.
   * @default false
   */
  readonly replication?: boolean;
}

/** Roles of users on a database. */
export interface PostgresDatabaseRoles {
  /**
   * Users with full access.
   * @default - none.
   */
  readonly admin?: string[];
  /**
   * Users with read-only access.
   * @default - none.
   */
  readonly readonly?: string[];
}

/** A Postgres database. */
export interface PostgresDatabase {
  /**
   * Extensions to install, e.g. `["hstore"]`.
   * @default - none.
   */
  readonly extensions?: string[];
  /**
   * Which users get which role on the database.
   * @default - no grants.
   */
  readonly roles?: PostgresDatabaseRoles;
}

/**
 * Properties of a {@link Postgres}.
 */
export interface PostgresProps {
  /**
   * Number of Postgres instances.
   * @default 2 (chart default)
   */
  readonly replicas?: number;
  /**
   * Volume size of each instance, e.g. `"10Gi"`.
   * @default "10Gi" (chart default)
   */
  readonly size?: string;
  /**
   * StorageClass of the volumes.
   * @default - the cluster's default StorageClass.
   */
  readonly storageClass?: string;
  /**
   * Postgres major version, e.g. `"v18"`.
   * @default - the chart's default version.
   */
  readonly version?: string;
  /**
   * Sizing preset when `resources` is not given, e.g. `"t1.micro"`.
   * @default "t1.micro" (chart default)
   */
  readonly resourcesPreset?: string;
  /**
   * Explicit CPU and memory of each instance.
   * @default - sized by `resourcesPreset`.
   */
  readonly resources?: ResourceQuantities;
  /**
   * Expose the database outside the cluster.
   * @default false
   */
  readonly external?: boolean;
  /**
   * Users by name. Cozystack generates their passwords (Secret `postgres-<name>-credentials`).
   * The name `postgres` is reserved.
   * @default - no users.
   */
  readonly users?: { [name: string]: PostgresUser };
  /**
   * Databases by name.
   * @default - no databases.
   */
  readonly databases?: { [name: string]: PostgresDatabase };
  /**
   * Postgres server parameters (`postgresql.parameters`), e.g. `{ max_connections: "200" }`.
   * Parameters that run commands or load libraries are refused.
   * @default - the chart's (max_connections 100).
   */
  readonly parameters?: { [name: string]: string };
  /**
   * Further chart values (backup, bootstrap, quorum, tls, ...), passed through verbatim
   * and validated against the chart schema.
   * @default - none.
   */
  readonly values?: { [key: string]: any };
}

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
   * @param name the database's name: a DNS-1035 label of at most 44 characters
   */
  public constructor(tenant: Construct, name: string, props: PostgresProps = {}) {
    super(tenant, name, 'Postgres');
    this.props = props;
    this.host = appHost('postgres', name, this.tenant.host);
    this.credentialsSecretName = `postgres-${name}-credentials`;
    this.readWriteHost = `postgres-${name}-rw.${this.namespace}.svc`;
    this.readOnlyHost = `postgres-${name}-ro.${this.namespace}.svc`;
    this.readHost = `postgres-${name}-r.${this.namespace}.svc`;
    this.node.addValidation({ validate: () => this.validatePostgres() });
  }

  protected renderSpec(): { [key: string]: any } {
    const p = this.props;
    const values = p.values ?? {};
    return {
      ...values,
      replicas: p.replicas,
      size: p.size,
      storageClass: p.storageClass,
      version: p.version,
      resourcesPreset: p.resourcesPreset,
      resources: p.resources,
      external: p.external,
      users: p.users,
      databases: p.databases,
      postgresql: p.parameters ? { ...values.postgresql, parameters: { ...values.postgresql?.parameters, ...p.parameters } } : values.postgresql,
    };
  }

  private validatePostgres(): string[] {
    const errors: string[] = [];
    if (!PATTERNS.DNS1035_LABEL.test(this.name) || this.name.length > LIMITS.POSTGRES_NAME_MAX) {
      errors.push(MESSAGES.appName('Postgres', this.name, LIMITS.POSTGRES_NAME_MAX));
    }
    const spec = JSON.parse(JSON.stringify(this.renderSpec()));
    const skip: string[] = [];
    if (spec.users && RESERVED_POSTGRES_USER in spec.users) {
      errors.push(MESSAGES.postgresReservedUser(RESERVED_POSTGRES_USER));
      skip.push(`spec.users.${RESERVED_POSTGRES_USER}`);
    }
    for (const param of Object.keys(spec.postgresql?.parameters ?? {})) {
      if (BLOCKED_POSTGRES_PARAMETERS.includes(param)) {
        errors.push(MESSAGES.postgresBlockedParameter(param));
        skip.push(`spec.postgresql.parameters.${param}`);
      }
    }
    errors.push(...checkSpec(this._root, 'postgres', spec, skip));
    return errors;
  }
}
