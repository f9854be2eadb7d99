import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { tenantHost, tenantNamespace } from '../domain/inheritance';
import { ROOT_NAMESPACE, ROOT_TENANT_NAME } from '../domain/registry';
import { dnsSubdomainProblem, LIMITS, MESSAGES, PATTERNS } from '../domain/rules';
import { effectiveSchedulingClass, schedulingClassProblem } from '../domain/scheduling';
import { ClusterService } from '../domain/services';
import { checkHost, checkSpec } from '../domain/validation';
import { CozystackVersion } from '../domain/versions';
import { createCozystackObject, renderedSpec } from './private/api-object';
import { coreOf, enclosingCore, TenantCore, tryCoreOf } from './private/core';
import { infoSecret } from './private/info';
import { ITenant } from './tenant-contract';

export { ClusterService } from '../domain/services';
export type { ITenant } from './tenant-contract';

/**
 * Properties of a {@link Tenant}.
 */
export interface TenantProps {
  /**
   * The tenant's domain. Setting it requires cluster-admin rights on Cozystack v1.5+
   * (the library warns).
   *
   * @default - `<name>.<parent host>`
   */
  readonly host?: string;

  /**
   * Resource quotas of the tenant's whole subtree, as Kubernetes quantities keyed by
   * resource name (`cpu`, `memory`, `storage`, `services.loadbalancers`, ...).
   *
   * @default - no quota: the tenant shares its parent's budget.
   */
  readonly resourceQuotas?: { [resource: string]: string };

  /**
   * The SchedulingClass applied to the tenant's workloads (Cozystack v1.2+).
   *
   * @default - inherited from the parent tenant.
   */
  readonly schedulingClass?: string;

  /**
   * Run the tenant's own SeaweedFS object storage.
   *
   * @default false - the nearest ancestor's SeaweedFS is used.
   */
  readonly seaweedfs?: boolean;

  /**
   * Whether the tenant owns a Gateway API gateway (Cozystack v1.5+). `true` gives it one
   * (as a {@link GatewayService} does): its apps and those of descendants without one
   * publish through it. Unset or `false` are the same in v1.6.2 (`tenant.gatewayEffective`):
   * the tenant owns none and routes through the nearest ancestor's gateway, if any (its apps
   * use Ingresses when there is none); `false` does not switch an inherited gateway off.
   * Left unset, the key stays out of the spec.
   *
   * @default - unset: the gateway of the nearest ancestor that owns one.
   */
  readonly gateway?: boolean;

  /**
   * Enforce network isolation of the tenant's namespace. Cozystack v0.41 only: since
   * v1.0 isolation is always on and the field is refused.
   *
   * @default - unset: the v0.41 chart's default (true).
   */
  readonly isolated?: boolean;
}

/**
 * A Cozystack tenant below the root: an `apps.cozystack.io/v1alpha1` `Tenant` named
 * `name` in its parent's namespace. Its namespace, host and service providers are
 * computed as Cozystack computes them.
 *
 * ```ts
 * const foo = new Tenant(root, 'foo'); // tenant-foo, foo.example.org
 * ```
 */
export class Tenant extends Construct implements ITenant {
  /**
   * The tenant a construct belongs to: the nearest RootTenant or Tenant above it
   * (the construct itself if it is one). Throws if there is none.
   */
  public static of(construct: IConstruct): ITenant {
    const found = Tenant.tryOf(construct);
    if (!found) throw new Error(MESSAGES.notInTenant(construct.node.path || 'The construct'));
    return found;
  }

  /** Like {@link Tenant.of}, but returns undefined when the construct is not inside a tenant. */
  public static tryOf(construct: IConstruct): ITenant | undefined {
    return enclosingCore(construct)?.tenant;
  }

  /** Whether `x` is a RootTenant or a Tenant (works across copies of this library). */
  public static isTenant(x: any): x is ITenant {
    return tryCoreOf(x)?.tenant === x;
  }

  /** The tenant's name (`root` for the root tenant). */
  public readonly name: string;
  /** The tenant's own namespace. */
  public readonly namespace: string;
  /** The tenant's domain. */
  public readonly host: string;
  /** Nesting depth: 0 for the root, 1 for its children, and so on. */
  public readonly depth: number;
  /** The tenant this one is nested in (undefined only for the root). */
  public readonly parentTenant?: ITenant;
  /** The `Tenant` API object. */
  public readonly apiObject: ApiObject;
  /** The tenant's own host override, if any. */
  public readonly hostOverride?: string;
  /** The tenant's declared resource quotas. */
  public readonly resourceQuotas?: { [resource: string]: string };

  private readonly props: TenantProps;
  private readonly core: TenantCore;

  /**
   * @param parent the RootTenant, a Tenant, or a construct of yours inside one
   * @param name the tenant's name (`^[a-z][a-z0-9]*$`), also its construct id
   * @param props the tenant's own host, quotas and flags
   */
  public constructor(parent: Construct, name: string, props: TenantProps = {}) {
    super(parent, name);
    const parentTenant = Tenant.of(parent);
    const parentCore = coreOf(parentTenant);
    this.props = props;
    this.name = name;
    this.parentTenant = parentTenant;
    this.depth = parentTenant.depth + 1;
    this.namespace = tenantNamespace(parentTenant.namespace, name);
    this.hostOverride = props.host || undefined;
    this.host = tenantHost(name, parentTenant.host, this.hostOverride);
    this.resourceQuotas = props.resourceQuotas;
    this.core = new TenantCore(this, parentCore, parentCore.platform, {
      hostOverride: this.hostOverride,
      resourceQuotas: props.resourceQuotas,
      schedulingClass: props.schedulingClass,
    });
    if (props.seaweedfs) this.core.addFlag(ClusterService.SEAWEEDFS);
    if (props.gateway) this.core.addFlag(ClusterService.GATEWAY);

    this.apiObject = createCozystackObject(this, {
      kind: 'Tenant',
      name,
      namespace: parentTenant.namespace,
      spec: () => this.renderSpec(),
    });
    this.core.ownObject = this.apiObject;

    this.node.addValidation({ validate: () => this.validateTenant() });
  }

  /** The tenant whose etcd this tenant's Kubernetes clusters store their data in. */
  public get etcdProvider(): ITenant { return this.providerOf(ClusterService.ETCD); }
  /** The tenant whose ingress serves this tenant's apps. */
  public get ingressProvider(): ITenant { return this.providerOf(ClusterService.INGRESS); }
  /** The tenant whose monitoring stack collects this tenant's metrics. */
  public get monitoringProvider(): ITenant { return this.providerOf(ClusterService.MONITORING); }
  /** The tenant whose SeaweedFS serves this tenant's object storage. */
  public get seaweedfsProvider(): ITenant { return this.providerOf(ClusterService.SEAWEEDFS); }

  /** The Secret in the tenant's namespace with a kubeconfig for it (the Info module every tenant has; key {@link kubeconfigSecretKey}). */
  public get kubeconfigSecretName(): string { return infoSecret(this.core, 'kubeconfig').name; }
  /** The key of the kubeconfig in {@link kubeconfigSecretName}. */
  public get kubeconfigSecretKey(): string { return infoSecret(this.core, 'kubeconfig').keys[0]; }
  /** The service-account token Secret of the tenant's namespace (Info module; keys `token`, `ca.crt`, `namespace`). */
  public get serviceAccountTokenSecretName(): string { return infoSecret(this.core, 'service-account-token').name; }

  /** Whether this tenant runs the service itself (its module flag is on). */
  public runsService(service: ClusterService): boolean {
    return this.core.runs(service);
  }

  /** The tenant that provides the service: this one or its nearest ancestor running it (the root at the latest). */
  public providerOf(service: ClusterService): ITenant {
    return this.core.provider(service).tenant;
  }

  /** The tenant's `spec`: exactly the values of Cozystack's tenant chart. */
  private renderSpec(): Record<string, unknown> {
    const p = this.props;
    return {
      host: this.hostOverride,
      etcd: this.runsService(ClusterService.ETCD),
      ingress: this.runsService(ClusterService.INGRESS),
      monitoring: this.runsService(ClusterService.MONITORING),
      seaweedfs: this.runsService(ClusterService.SEAWEEDFS),
      gateway: this.runsService(ClusterService.GATEWAY) ? true : p.gateway,
      isolated: p.isolated,
      schedulingClass: p.schedulingClass,
      // A copy: the bundle's manifests hold the rendered spec, never the program's own objects.
      resourceQuotas: p.resourceQuotas === undefined ? undefined : { ...p.resourceQuotas },
    };
  }

  private validateTenant(): string[] {
    const errors: string[] = [];
    const parentNamespace = this.parentTenant!.namespace;
    const name = this.name;
    // Each rule is checked on its own: one problem never hides another (issue 13, fault 7).
    const badName = !PATTERNS.TENANT_NAME.test(name);
    if (badName) errors.push(MESSAGES.tenantNamePattern(name));
    if (name.length > LIMITS.TENANT_NAME_MAX) errors.push(MESSAGES.tenantNameLength(name));
    if (parentNamespace === ROOT_NAMESPACE && name === ROOT_TENANT_NAME) errors.push(MESSAGES.tenantNameReserved(name));
    if (this.namespace.length > LIMITS.NAMESPACE_MAX) errors.push(MESSAGES.namespaceLength(this.namespace));
    // A derived host built from an invalid name or an invalid parent host is the same problem, reported once.
    const derivedFromBad = !this.hostOverride && (badName || dnsSubdomainProblem(this.parentTenant!.host) !== undefined);
    if (!derivedFromBad) errors.push(...checkHost('Tenant', this.host, true));
    errors.push(...checkSpec(this.core.platform.version, 'tenant', renderedSpec(this.apiObject)));
    errors.push(...(this.core.platform.quotaAnalysis().byPath.get(this.node.path) ?? []));
    // The class lands on the namespace label only when no ancestor has one (an ignored one is warned about at synth).
    const ownClass = this.props.schedulingClass;
    if (ownClass && this.core.platform.version.isAtLeast(CozystackVersion.V1_2)) {
      const effective = effectiveSchedulingClass(this.core, c => (c.parent ? c.declared.schedulingClass || undefined : undefined));
      const why = effective?.from === this.core ? schedulingClassProblem(ownClass) : undefined;
      if (why) errors.push(MESSAGES.schedulingClassInvalid(ownClass, why));
    }
    return errors;
  }
}
