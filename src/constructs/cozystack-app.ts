import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { KindDefinition } from '../domain/registry';
import { CozystackVersion } from '../domain/versions';
import { createCozystackObject } from './private/api-object';
import { coreOf, TenantCore } from './private/core';
import { Tenant } from './tenant';
import { ITenant } from './tenant-contract';

/**
 * An application ordered inside a tenant (a tenant Kubernetes cluster, a Postgres, ...).
 */
export interface ICozystackApp extends IConstruct {
  /** The `apps.cozystack.io` kind, e.g. `Kubernetes`. */
  readonly kind: string;
  /** The object's name inside the tenant namespace. */
  readonly name: string;
  /** The tenant namespace the object lives in. */
  readonly namespace: string;
  /** The app's public host name. */
  readonly host: string;
  /** The tenant the app belongs to. */
  readonly tenant: ITenant;
  /** The `apps.cozystack.io/v1alpha1` object. */
  readonly apiObject: ApiObject;
}

/**
 * Shared mechanics of apps: finding the tenant, registering with it, and owning the
 * API object, applied in the wave after the tenant is Ready. Libraries that add apps
 * of other Cozystack kinds extend it and implement `renderSpec()`.
 */
export abstract class CozystackAppBase extends Construct implements ICozystackApp {
  public readonly kind: string;
  public readonly name: string;
  public readonly namespace: string;
  public readonly tenant: ITenant;
  public readonly apiObject: ApiObject;
  /** The app's public host name. */
  public abstract readonly host: string;

  /**
   * @param scope the tenant (or a construct of yours inside it)
   * @param name the object's name, also the construct id
   * @param kind the `apps.cozystack.io` kind
   */
  protected constructor(scope: Construct, name: string, kind: string) {
    super(scope, name);
    this.kind = kind;
    this.name = name;
    this.tenant = Tenant.of(scope);
    this.namespace = this.tenant.namespace;
    const core = coreOf(this.tenant);
    core.addApp(this);
    this.apiObject = createCozystackObject(this, {
      kind,
      name,
      namespace: this.namespace,
      spec: () => this.renderSpec(),
    });
  }

  /**
   * The users whose credentials the app's Secrets hold one key each for (e.g. Postgres users).
   * @internal
   */
  public _credentialUsers(): string[] {
    return [];
  }

  /** The object's `spec`: the chart's values. Called at synthesis. */
  protected abstract renderSpec(): { [key: string]: any };

  /** The Cozystack version of the platform. @internal */
  protected get _version(): CozystackVersion {
    return this._core.platform.version;
  }

  /** The registry's definition of this app's kind. @internal */
  protected get _definition(): KindDefinition {
    return this._core.platform.registry.get(this.kind);
  }

  /** The app's tenant's state. @internal */
  protected get _core(): TenantCore {
    return coreOf(this.tenant);
  }
}
