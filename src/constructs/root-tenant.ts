import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ITenant } from './tenant-contract';
import { computeBundle, PlatformBundle } from '../bundle/compute';
import { FluxDeliveryOptions, fluxSourceKindProblems } from '../bundle/flux';
import { writeBundle } from '../bundle/write';
import { CLUSTER_SERVICES, KindRegistry, ROOT_NAMESPACE, ROOT_TENANT_NAME } from '../domain/registry';
import { MESSAGES } from '../domain/rules';
import { ClusterService } from '../domain/services';
import { checkHost } from '../domain/validation';
import { CozystackVersion } from '../domain/versions';
import { createCozystackObject } from './private/api-object';
import { collectPlatform } from './private/collect';
import { Platform, TenantCore, tryCoreOf } from './private/core';
import { findDuplicates } from './private/duplicates';
import { infoSecret } from './private/info';
import { Synthesis } from './private/synthesis';

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
 * platform without one). One per App: `app.synth()` writes its bundle (ordered waves,
 * `index.json`, `topology.json`) into the App's output directory.
 *
 * The library never creates or deletes `tenant-root`. Cluster services added to it
 * are emitted as a `Tenant` named `root` in `tenant-root` carrying only the module
 * flags that are on (flags are never switched off from here: that deletes data).
 */
export class RootTenant extends Chart {
  /** Whether `x` is a RootTenant (works across copies of this library). */
  public static isRootTenant(x: any): x is RootTenant {
    const core = tryCoreOf(x);
    return core !== undefined && core.tenant === x && core.parent === undefined;
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

  private readonly core: TenantCore;

  /**
   * @param scope the App (one RootTenant per App)
   * @param id the construct id, the first segment of every construct path of the platform
   * @param props the platform's host, Cozystack version and delivery options
   */
  public constructor(scope: Construct, id: string, props: RootTenantProps) {
    super(scope, id, { namespace: ROOT_NAMESPACE });
    this.host = props.host;
    this.version = props.version ?? CozystackVersion.V1_6;
    this.flux = props.flux;
    this.core = new TenantCore(this, undefined, new Platform(this.version), {});
    // The Tenant root object exists once a module flag is on: only flags that are on are written.
    this.core.onServiceAdded = () => this.ensureRootObject();
    const synthesis = Synthesis.of(App.of(this));
    const first = synthesis.platforms[0]?.path;
    synthesis.platforms.push({
      path: this.node.path,
      writeBundle: () => writeBundle(App.of(this).outdir, this.synthBundle()),
      warnings: () => collectPlatform(this.core, this, this.flux).warnings,
    });
    if (props.seaweedfs) this.core.addFlag(ClusterService.SEAWEEDFS);
    this.node.addValidation({ validate: () => this.validateRoot(first) });
  }

  /** The tenant whose etcd this tenant's Kubernetes clusters store their data in. */
  public get etcdProvider(): ITenant { return this.providerOf(ClusterService.ETCD); }
  /** The tenant whose ingress serves this tenant's apps. */
  public get ingressProvider(): ITenant { return this.providerOf(ClusterService.INGRESS); }
  /** The tenant whose monitoring stack collects this tenant's metrics. */
  public get monitoringProvider(): ITenant { return this.providerOf(ClusterService.MONITORING); }
  /** The tenant whose SeaweedFS serves this tenant's object storage. */
  public get seaweedfsProvider(): ITenant { return this.providerOf(ClusterService.SEAWEEDFS); }

  /** The Secret in `tenant-root` with a kubeconfig for it (the Info module every tenant has; key {@link kubeconfigSecretKey}). */
  public get kubeconfigSecretName(): string { return infoSecret(this.core, 'kubeconfig').name; }
  /** The key of the kubeconfig in {@link kubeconfigSecretName}. */
  public get kubeconfigSecretKey(): string { return infoSecret(this.core, 'kubeconfig').keys[0]; }
  /** The service-account token Secret of `tenant-root` (Info module; keys `token`, `ca.crt`, `namespace`). */
  public get serviceAccountTokenSecretName(): string { return infoSecret(this.core, 'service-account-token').name; }

  /** Whether this tenant runs the service itself (its module flag is on). */
  public runsService(service: ClusterService): boolean {
    return this.core.runs(service);
  }

  /** The tenant that provides the service: this one or its nearest ancestor running it (the root at the latest). */
  public providerOf(service: ClusterService): ITenant {
    return this.core.provider(service).tenant;
  }

  /**
   * Computes the management-cluster bundle without writing it: waves, their objects and
   * YAML, the index, the topology and each tenant cluster's manifests.
   */
  public synthBundle(): PlatformBundle {
    return computeBundle(collectPlatform(this.core, this, this.flux), App.of(this).outputFileExtension);
  }

  /**
   * The platform's management-cluster manifests in apply order, as `Testing.synth()` and
   * `app.synthYaml()` expect; never a tenant cluster's. No side effects.
   *
   * During `app.synth()` it returns nothing: the bundle is written apart (one file per
   * wave), so cdk8s's own per-chart file for this chart stays empty rather than repeating
   * every object outside of its wave.
   */
  public toJson(): any[] {
    if (Synthesis.of(App.of(this)).phase === 'files') return [];
    return this.synthBundle().manifests;
  }

  /**
   * Uses another registry of kinds for this platform (a copy with kinds of a newer
   * Cozystack release, for instance). Call it before adding apps.
   * @internal
   */
  public _useRegistry(registry: KindRegistry): void {
    this.core.platform.registry = registry;
  }

  private ensureRootObject(): void {
    if (this.core.ownObject) return;
    this.core.ownObject = createCozystackObject(this, {
      id: 'RootTenant',
      kind: 'Tenant',
      name: ROOT_TENANT_NAME,
      namespace: ROOT_NAMESPACE,
      owned: false,
      // Only flags that are on: writing `false` would delete a service the platform runs.
      spec: () => {
        const spec: Record<string, boolean> = {};
        for (const s of CLUSTER_SERVICES) {
          if (this.runsService(s)) spec[s] = true;
        }
        return spec;
      },
    });
  }

  private validateRoot(first: string | undefined): string[] {
    const errors = checkHost('The platform', this.host, true);
    if (first) errors.push(MESSAGES.twoRoots(first));
    if (this.flux) errors.push(...fluxSourceKindProblems(this.flux));
    errors.push(...findDuplicates(this));
    return errors;
  }
}
