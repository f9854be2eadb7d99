import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { namespacedObjectWave } from './inheritance';
import { createCozystackObject } from './private/api-object';
import { platformState, tenantState } from './private/state';
import { ITenant, rootOf, Tenant } from './tenant';

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

/** What an app subclass tells the base. @internal */
export interface AppOptions {
  readonly kind: string;
  readonly name: string;
  readonly spec: () => Record<string, unknown>;
}

/**
 * Shared mechanics of apps: finding the tenant, registering with it, and owning the
 * API object, applied in the wave after the tenant is Ready.
 */
export abstract class CozystackAppBase extends Construct implements ICozystackApp {
  public readonly kind: string;
  public readonly name: string;
  public readonly namespace: string;
  public readonly tenant: ITenant;
  public readonly apiObject: ApiObject;
  /** The app's public host name. */
  public abstract readonly host: string;

  protected constructor(scope: Construct, id: string, options: AppOptions) {
    super(scope, id);
    this.kind = options.kind;
    this.name = options.name;
    this.tenant = Tenant.of(scope);
    this.namespace = this.tenant.namespace;
    const root = rootOf(this.tenant);
    tenantState(this.tenant).apps.push(this);
    platformState(root).generation++;
    this.apiObject = createCozystackObject(this, {
      kind: options.kind,
      name: options.name,
      namespace: this.namespace,
      wave: namespacedObjectWave(this.tenant.depth),
      root,
      spec: options.spec,
    });
  }

  /** The RootTenant of the platform. @internal */
  protected get _root(): Construct {
    return rootOf(this.tenant);
  }
}
