import { Chart } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CozystackAppBase, CozystackAppProps } from './cozystack-app';
import { TenantIngressOptions, TenantLoadBalancerOptions, TenantVolumeOptions } from './tenant-cluster-workloads';
import { ITenant } from './tenant-contract';
import { chartData, helmMerge } from '../domain/charts';
import { appHost } from '../domain/inheritance';
import { credentialOf, releaseName, renderTemplate } from '../domain/registry';
import { MESSAGES } from '../domain/rules';
import { oidcSecretKeyProblems } from '../domain/rules/kubernetes';
import { checkHost, checkSpec } from '../domain/validation';
import { KubernetesValues } from '../generated';
import { canonical, renderedSpec } from './private/api-object';
import { declaredSecretKeys } from './private/secret-keys';
import { TenantClusterWorkloads } from './private/workloads';
import { closest } from '../domain/rules/common';
import { ClusterService } from '../domain/services';

/**
 * Properties of a {@link KubernetesCluster}: every value of Cozystack's `kubernetes`
 * chart (node groups, addons, control plane, OIDC, Talos, ...), plus references to
 * Secrets the library wires in for you.
 *
 * Node group entries get no defaults from Cozystack: each needs `minReplicas`,
 * `maxReplicas`, `instanceType` and `diskSize` (`ephemeralStorage` on v0.41, which the
 * library writes from `diskSize`).
 */
export interface KubernetesClusterProps extends KubernetesValues, CozystackAppProps {
  /**
   * A Secret in the tenant namespace whose `config.yaml` holds the API server's
   * AuthenticationConfiguration. Sets `oidc.customConfig.secretRef.name` and, unless
   * `oidc.mode` is given, `oidc.mode: CustomConfig`.
   *
   * @default - no custom OIDC configuration.
   */
  readonly oidcCustomConfigSecret?: plus.ISecret;
}

/**
 * A tenant Kubernetes cluster (`apps.cozystack.io/v1alpha1` `Kubernetes`). Its
 * control-plane data lives in the etcd its tenant inherits, it is reached through the
 * inherited ingress and measured by the inherited monitoring.
 *
 * ```ts
 * new KubernetesCluster(tenant, 'cluster1', {
 *   nodeGroups: { md0: { minReplicas: 1, maxReplicas: 3, instanceType: 'u1.medium', diskSize: '20Gi' } },
 * });
 * ```
 */
export class KubernetesCluster extends CozystackAppBase {
  public readonly host: string;
  /** The Secret (in the tenant namespace) holding the admin kubeconfig. */
  public readonly adminKubeconfigSecretName: string;
  /** The key of the admin kubeconfig in its Secret. */
  public readonly adminKubeconfigKey: string;

  private readonly props: KubernetesClusterProps;
  private _workloads?: TenantClusterWorkloads;
  private readonly extraVolumes: Array<Record<string, unknown>> = [];
  private readonly extraVolumeMounts: Array<Record<string, unknown>> = [];

  /**
   * @param tenant the tenant (or a construct of yours inside it)
   * @param id the construct id, also the cluster's name unless `props.name` is given
   * @param props the kubernetes chart's values and the cluster's name (a DNS-1035 label of at most 42 characters)
   */
  public constructor(tenant: Construct, id: string, props: KubernetesClusterProps = {}) {
    super(tenant, id, 'Kubernetes', props.name);
    this.props = props;
    const def = this._definition;
    const admin = credentialOf(def, 'admin-kubeconfig');
    this.host = appHost(releaseName(def, this.name), this.tenant.host, props.host);
    this.adminKubeconfigSecretName = renderTemplate(admin.secret, { name: this.name, namespace: this.namespace });
    this.adminKubeconfigKey = admin.keys[0];
    this.node.addValidation({ validate: () => this.validateCluster() });
  }

  /** The tenant whose etcd stores this cluster's control-plane data. */
  public get etcdProvider(): ITenant { return this.tenant.providerOf(ClusterService.ETCD); }
  /** The tenant whose ingress exposes this cluster's API. */
  public get ingressProvider(): ITenant { return this.tenant.providerOf(ClusterService.INGRESS); }
  /** The tenant whose monitoring receives this cluster's metrics. */
  public get monitoringProvider(): ITenant { return this.tenant.providerOf(ClusterService.MONITORING); }

  /**
   * Mounts a Secret of the tenant namespace into the cluster's API server
   * (`controlPlane.apiServer.extraVolumes` and `extraVolumeMounts`), e.g. for a file an
   * `extraArgs` flag points at.
   *
   * @param name the volume's name (unique; not talos-ca or talos-tls-cert)
   * @param secret the Secret, in the tenant namespace
   * @param mountPath where the API server sees it
   */
  public addApiServerSecretVolume(name: string, secret: plus.ISecret, mountPath: string): void {
    this.extraVolumes.push({ name, secret: { secretName: secret.name } });
    this.extraVolumeMounts.push({ name, mountPath, readOnly: true });
  }

  /**
   * Mounts a ConfigMap of the tenant namespace into the cluster's API server.
   *
   * @param name the volume's name (unique; not talos-ca or talos-tls-cert)
   * @param configMap the ConfigMap, in the tenant namespace
   * @param mountPath where the API server sees it
   */
  public addApiServerConfigMapVolume(name: string, configMap: plus.IConfigMap, mountPath: string): void {
    this.extraVolumes.push({ name, configMap: { name: configMap.name } });
    this.extraVolumeMounts.push({ name, mountPath, readOnly: true });
  }

  /**
   * The scope of what runs inside this cluster: place any cdk8s or cdk8s-plus-28 construct
   * here. Its manifests go to the cluster's own bundle (`clusters/<namespace>/<name>/` in the
   * output directory), applied through the cluster's API once it is Ready, never to the
   * management cluster.
   */
  public get workloads(): Chart {
    return this.workloadsScope();
  }

  /** The StorageClass volumes of this cluster get by default: `storageClass` or the chart's default. */
  public get storageClassName(): string {
    const release = this._version.chartRelease;
    return this.props.storageClass ?? String(chartData(release, 'kubernetes').values.storageClass ?? 'replicated');
  }

  /** A persistent volume claim inside the cluster, on the cluster's StorageClass unless told otherwise. */
  public addPersistentVolumeClaim(id: string, options: TenantVolumeOptions): plus.PersistentVolumeClaim {
    return this.workloadsScope().addVolume(id, options, this.storageClassName);
  }

  /** A Service of type LoadBalancer inside the cluster (Cozystack gives it an address of the platform). */
  public addLoadBalancer(id: string, options: TenantLoadBalancerOptions): plus.Service {
    return this.workloadsScope().addLoadBalancer(id, options);
  }

  /**
   * An Ingress inside the cluster, served by its ingress-nginx addon (enabled for you).
   * Its host must be one the cluster can serve (see {@link TenantIngressOptions.host}).
   */
  public addIngress(id: string, options: TenantIngressOptions): plus.Ingress {
    return this.workloadsScope().addIngress(id, options);
  }

  /**
   * The cluster's node groups as the chart sees them (its defaults merged).
   * @internal
   */
  public _nodeGroups(): { [group: string]: unknown } {
    const defaults = chartData(this._version.chartRelease, 'kubernetes').values.nodeGroups;
    return (helmMerge(defaults, this.props.nodeGroups) ?? {}) as { [group: string]: unknown };
  }

  /**
   * The cluster's own bundle: its folder in the output directory and its manifests;
   * undefined when nothing was placed in `workloads`.
   * @internal
   */
  public _clusterBundle(): { dir: string; manifests: any[]; kubeconfigSecret: { namespace: string; name: string; key: string } } | undefined {
    if (!this._workloads) return undefined;
    return {
      dir: `clusters/${this.namespace}/${this.name}`,
      manifests: this._workloads.manifests(),
      kubeconfigSecret: { namespace: this.namespace, name: this.adminKubeconfigSecretName, key: this.adminKubeconfigKey },
    };
  }

  private workloadsScope(): TenantClusterWorkloads {
    this._workloads ??= new TenantClusterWorkloads(this, 'Workloads');
    return this._workloads;
  }

  protected renderSpec(): { [key: string]: any } {
    const { oidcCustomConfigSecret, name, ...values } = this.props;
    const spec = canonical(values) as Record<string, any>; // a fresh deep copy without undefined entries
    this.enableAddonsForWorkloads(spec);
    if (this._version.major === 0 && spec.nodeGroups) {
      // v0.41 calls the node disk ephemeralStorage.
      for (const g of Object.values<any>(spec.nodeGroups)) {
        if (g.diskSize !== undefined && g.ephemeralStorage === undefined) {
          g.ephemeralStorage = g.diskSize;
          delete g.diskSize;
        }
      }
    }
    if (oidcCustomConfigSecret) {
      spec.oidc = { ...spec.oidc, mode: spec.oidc?.mode ?? 'CustomConfig' };
      spec.oidc.customConfig = { ...spec.oidc.customConfig, secretRef: { name: oidcCustomConfigSecret.name } };
    }
    if (this.extraVolumes.length > 0) {
      spec.controlPlane = { ...spec.controlPlane };
      const api = spec.controlPlane.apiServer = { ...spec.controlPlane.apiServer };
      // Copies: the bundle's manifests hold the rendered spec, never the construct's own state.
      api.extraVolumes = [...(api.extraVolumes ?? []), ...this.extraVolumes.map(v => canonical(v))];
      api.extraVolumeMounts = [...(api.extraVolumeMounts ?? []), ...this.extraVolumeMounts.map(v => canonical(v))];
    }
    return spec;
  }

  /** Addons the workloads need are switched on unless the user set them; Ingress hosts under the tenant's domain are routed. */
  private enableAddonsForWorkloads(spec: Record<string, any>): void {
    const ingresses = this._workloads?.ingresses ?? [];
    if (ingresses.length === 0) return;
    const addons = spec.addons = { ...spec.addons };
    const nginx = addons.ingressNginx = { ...addons.ingressNginx };
    nginx.enabled ??= true;
    if ((nginx.exposeMethod ?? 'Proxied') === 'Proxied') {
      const hosts: string[] = [...(nginx.hosts ?? [])];
      for (const i of ingresses) {
        if (!hostListed(i.host, hosts) && isUnder(i.host, this.tenant.host)) hosts.push(i.host);
      }
      nginx.hosts = hosts;
    }
    if (ingresses.some(i => i.tls)) {
      const cm = addons.certManager = { ...addons.certManager };
      cm.enabled ??= true;
    }
  }

  private workloadProblems(spec: Record<string, any>): string[] {
    if (!this._workloads) return [];
    const errors: string[] = [];
    const ingresses = this._workloads.ingresses;
    const nginx = spec.addons?.ingressNginx ?? {};
    if (ingresses.length > 0 && nginx.enabled === false) errors.push(MESSAGES.addonDisabled('ingressNginx', `the Ingress for ${ingresses[0].host}`));
    const tls = ingresses.find(i => i.tls);
    if (tls && spec.addons?.certManager?.enabled === false) errors.push(MESSAGES.addonDisabled('certManager', `the TLS certificate for ${tls.host}`));
    for (const i of ingresses) {
      if (!hostListed(i.host, nginx.hosts ?? []) && !isUnder(i.host, this.tenant.host)) {
        errors.push(MESSAGES.ingressHostNotServed(i.host, this.tenant.host));
      }
    }
    return errors;
  }

  private validateCluster(): string[] {
    const errors: string[] = [];
    // The name, the version and the etcd provider are the rules every app shares (CozystackAppBase).
    if (!this._servedByVersion) return errors;
    if (this.props.host) errors.push(...checkHost('Kubernetes', this.props.host, false));

    const spec = renderedSpec(this.apiObject);
    const skip: string[] = [];
    // Node group entries get no defaults: report each missing field once, in our words.
    const release = this._version.chartRelease;
    const data = chartData(release, 'kubernetes');
    const entrySchema = data.schema.properties?.nodeGroups?.additionalProperties ?? {};
    for (const [group, given] of Object.entries<any>(spec.nodeGroups ?? {})) {
      // Helm merges a chart default entry of the same name (v0.41 ships md0) under the user's entry.
      const g = helmMerge((data.values.nodeGroups as any)?.[group], given) as any;
      for (const field of (entrySchema.required ?? []) as string[]) {
        if (g[field] === undefined) {
          const prop = entrySchema.properties?.[field];
          const example = prop?.default !== undefined ? JSON.stringify(prop.default) : prop?.type === 'object' ? '{}' : '...';
          const shown = field === 'ephemeralStorage' ? 'diskSize' : field;
          errors.push(MESSAGES.nodeGroupMissingField(group, shown, example === '...' && shown === 'diskSize' ? '"20Gi"' : example));
          skip.push(`spec.nodeGroups.${group}.${field}`);
        }
      }
    }
    if (spec.addons?.ingressNginx?.enabled && spec.nodeGroups
      && !Object.values<any>(spec.nodeGroups).some(g => (g.roles ?? []).includes('ingress-nginx'))) {
      const roles = Object.values<any>(spec.nodeGroups).flatMap(g => (Array.isArray(g?.roles) ? g.roles : []) as string[]);
      errors.push(MESSAGES.noIngressNodes(roles.find(r => typeof r === 'string' && closest(r, ['ingress-nginx']) !== undefined)));
    }
    errors.push(...this.workloadProblems(spec));
    const oidcSecret = this.props.oidcCustomConfigSecret;
    if (oidcSecret) errors.push(...oidcSecretKeyProblems(spec, oidcSecret.name, declaredSecretKeys(oidcSecret)).map(p => p.message));
    // The chart's refusals (API server volumes and flags, OIDC, node groups, addons) are src/domain/rules/kubernetes.ts, run by checkSpec.
    errors.push(...checkSpec(this._version, 'kubernetes', spec, skip, { name: this.name, namespace: this.namespace, tenantHost: this.tenant.host }));
    return errors;
  }
}

/** Whether a host is in a list of hosts (entries may be wildcards such as `*.example.org`). */
function hostListed(host: string, hosts: string[]): boolean {
  return hosts.some(h => h === host || (h.startsWith('*.') && isUnder(host, h.slice(2)) && !host.slice(0, -h.length + 1).includes('.')));
}

/** Whether a host is a name under a domain. */
function isUnder(host: string, domain: string): boolean {
  return host.endsWith(`.${domain}`);
}
