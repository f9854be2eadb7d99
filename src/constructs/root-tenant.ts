import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { computeBundle, findDuplicates, PlatformBundle, writeBundle } from '../bundle/compute';
import { FluxDeliveryOptions, FLUX_SOURCE_KINDS } from '../bundle/flux';
import { provider, ROOT_NAMESPACE, ROOT_TENANT_NAME } from '../domain/inheritance';
import { createCozystackObject } from './private/api-object';
import { initPlatform, runsServiceItself, tenantState, PlatformState } from './private/state';
import { checkHost, ROOT_MARKER } from '../domain/validation';
import { MESSAGES } from '../domain/rules';
import { ClusterService, ITenant } from './tenant';
import { CozystackVersion } from '../domain/versions';

/** The RootTenants of each App, in declaration order (one is allowed). */
const rootsOfApp = new WeakMap<object, RootTenant[]>();

/**
 * Properties of a {@link RootTenant}.
 */
export interface RootTenantProps {
  /**
   * The platform's publishing host (`publishing.host` of the Cozystack installation):
   * the root tenant's domain, from which every tenant's default domain derives.
   */
  readonly host: string;

  /**
   * The Cozystack release the management cluster runs. It selects the chart schemas
   * every spec is validated against.
   *
   * @default CozystackVersion.V1_6
   */
  readonly version?: CozystackVersion;

  /**
   * Switch on the root tenant's own SeaweedFS (a module flag of `tenant-root`).
   *
   * @default false - the flag is left as the platform has it.
   */
  readonly seaweedfs?: boolean;

  /**
   * Also write Flux Kustomizations that deliver the bundle from a Git/OCI source, wave
   * by wave (each waits for the previous one's Tenants to be Ready). With it, every
   * Cozystack object carries `kustomize.toolkit.fluxcd.io/prune: disabled`, so Flux never
   * deletes a tenant or its data.
   *
   * @default - no Flux manifests.
   */
  readonly flux?: FluxDeliveryOptions;
}

/**
 * The platform's pre-existing root tenant (`tenant-root`) and the top of the
 * construct tree. It is an {@link ITenant} (its `namespace` is `tenant-root`; being a
 * cdk8s Chart, that is also the default namespace of API objects you add to the
 * platform without one). One per App: it is the chart whose synthesis writes the
 * management-cluster bundle (ordered waves, `index.json`, `topology.json`).
 *
 * The library never creates or deletes `tenant-root`. Cluster services added to it
 * are emitted as a `Tenant` named `root` in `tenant-root` carrying only the module
 * flags that are on (flags are never switched off from here: that deletes data).
 */
export class RootTenant extends Chart {
  /** Whether `x` is a RootTenant (works across copies of this library). */
  public static isRootTenant(x: any): x is RootTenant {
    return x !== null && typeof x === 'object' && ROOT_MARKER in x;
  }

  /** The tenant's name (`root` for the root tenant). */
  public readonly name: string = ROOT_TENANT_NAME;
  /**
   * `tenant-root` (also the chart's default namespace).
   * @jsii ignore
   */
  public declare readonly namespace: string;
  /** The tenant's domain. */
  public readonly host: string;
  /** Nesting depth: 0 for the root, 1 for its children, and so on. */
  public readonly depth: number = 0;
  /** The tenant this one is nested in (undefined only for the root). */
  public readonly parentTenant?: ITenant;
  /** The Cozystack release the platform runs. */
  public readonly version: CozystackVersion;
  /** Flux delivery, when the bundle includes Flux Kustomizations. */
  public readonly flux?: FluxDeliveryOptions;

  private rootObject?: ApiObject;
  /** Set by cdk8s's validation of the App, which runs right before synthesis writes the charts. */
  private synthValidated = false;
  private readonly platform: PlatformState;

  /**
   * @param scope the App (one RootTenant per App)
   * @param id the construct id, the first segment of every construct path of the platform
   * @param props the platform's host, Cozystack version and delivery options
   */
  public constructor(scope: Construct, id: string, props: RootTenantProps) {
    super(scope, id, { namespace: ROOT_NAMESPACE });
    Object.defineProperty(this, ROOT_MARKER, { value: true });
    this.host = props.host;
    this.version = props.version ?? CozystackVersion.V1_6;
    this.flux = props.flux;
    this.platform = initPlatform(this, this.version);
    const app = App.of(this);
    rootsOfApp.set(app, [...(rootsOfApp.get(app) ?? []), this]);
    if (props.seaweedfs) {
      tenantState(this).flags.add(ClusterService.SEAWEEDFS);
      this._ensureRootObject();
    }
    this.node.addValidation({ validate: () => this.validateRoot() });
  }

  /** The tenant whose etcd this tenant's Kubernetes clusters store their data in. */
  public get etcdProvider(): ITenant { return this.providerOf(ClusterService.ETCD); }
  /** The tenant whose ingress serves this tenant's apps. */
  public get ingressProvider(): ITenant { return this.providerOf(ClusterService.INGRESS); }
  /** The tenant whose monitoring stack collects this tenant's metrics. */
  public get monitoringProvider(): ITenant { return this.providerOf(ClusterService.MONITORING); }
  /** The tenant whose SeaweedFS serves this tenant's object storage. */
  public get seaweedfsProvider(): ITenant { return this.providerOf(ClusterService.SEAWEEDFS); }

  /** Whether this tenant runs the service itself (its module flag is on). */
  public runsService(service: ClusterService): boolean {
    return runsServiceItself(this, service);
  }

  /** The tenant that provides the service: this one or its nearest ancestor running it (the root at the latest). */
  public providerOf(service: ClusterService): ITenant {
    return provider<ITenant>(this, service);
  }

  /**
   * Computes the management-cluster bundle without writing it: waves, their
   * objects and YAML, the index and the topology.
   */
  public synthBundle(): PlatformBundle {
    return computeBundle(this);
  }

  /**
   * The platform's manifests in apply order, as cdk8s's `Testing.synth()` and
   * `app.synthYaml()` expect.
   *
   * During `app.synth()` (after cdk8s has validated the App) it instead writes the bundle
   * into the App's output directory (atomically, index last) and returns no objects: the
   * waves are written as separate files, so cdk8s's per-chart file for this chart stays
   * empty rather than repeating every object outside of its wave.
   */
  public toJson(): any[] {
    // app.synthYaml() validates too, but wants the objects as one YAML stream, not files.
    const forYamlString = new Error().stack?.includes('synthYaml') ?? false;
    if (!this.synthValidated || forYamlString) return this.synthBundle().manifests;
    this.synthValidated = false;
    writeBundle(App.of(this).outdir, this.synthBundle(), App.of(this).outputFileExtension);
    return [];
  }

  /**
   * The `Tenant root` object, created when the first module flag is switched on.
   * @internal
   */
  public _ensureRootObject(): void {
    if (this.rootObject) return;
    this.rootObject = createCozystackObject(this, {
      id: 'RootTenant',
      kind: 'Tenant',
      name: ROOT_TENANT_NAME,
      namespace: ROOT_NAMESPACE,
      wave: 0,
      root: this,
      owned: false,
      // Only flags that are on: writing `false` would delete a service the platform runs.
      spec: () => {
        const spec: Record<string, boolean> = {};
        for (const s of [ClusterService.ETCD, ClusterService.INGRESS, ClusterService.MONITORING, ClusterService.SEAWEEDFS]) {
          if (this.runsService(s)) spec[s] = true;
        }
        return spec;
      },
    });
    this.platform.generation++;
  }

  private validateRoot(): string[] {
    this.synthValidated = true;
    const errors = checkHost('The platform', this.host, true);
    const first = rootsOfApp.get(App.of(this))?.[0];
    if (first && first !== this) errors.push(MESSAGES.twoRoots(first.node.path));
    if (this.flux && !FLUX_SOURCE_KINDS.includes(this.flux.sourceKind)) errors.push(MESSAGES.fluxSourceKind(this.flux.sourceKind, FLUX_SOURCE_KINDS));
    errors.push(...findDuplicates(this));
    return errors;
  }
}
