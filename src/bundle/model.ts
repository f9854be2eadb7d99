/**
 * What the bundle is computed from: the platform as plain data, collected from the
 * construct tree by the constructs layer. Everything Cozystack will compute for each
 * tenant and app is already resolved here (namespaces, hosts, providers, quotas, and the
 * names the registry of kinds derives); the bundle only orders, renders and writes.
 */
import { FluxDeliveryOptions } from './flux';
import { TenantQuota } from '../report/model';

/** One management-cluster object and the wave it is applied in. */
export interface ModelObject {
  readonly wave: number;
  /** The manifest (JSON), as it is written. */
  readonly manifest: any;
  /** The construct path of the construct that declared it. */
  readonly path: string;
}

/** A tenant as `topology.json` records it. */
export interface ModelTenant {
  readonly name: string;
  readonly path: string;
  readonly namespace: string;
  readonly parentNamespace: string | null;
  readonly depth: number;
  readonly host: string;
  /** The services the tenant runs itself. */
  readonly modules: string[];
  /** The namespace of the tenant providing each service. */
  readonly services: Record<string, string>;
  readonly quota?: TenantQuota;
  /** The SchedulingClass the chart gives the tenant's namespace: the top-most one set on its chain, or null. */
  readonly schedulingClass: string | null;
}

/** A credential Secret of an app. */
export interface ModelCredential {
  /** The id of the registry's template it was rendered from (per-user Secrets share their template's). */
  readonly id: string;
  readonly secret: string;
  readonly keys: string[];
  readonly description: string;
}

/** A way users reach an app. */
export interface ModelEndpoint {
  /** The id of the registry's template it was rendered from (a Service and an Ingress of one name share it). */
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly description: string;
}

/** An app, with what its kind implies spelled out (`topology.json` states that once per kind). */
export interface ModelApp {
  readonly kind: string;
  readonly name: string;
  readonly path: string;
  readonly namespace: string;
  readonly host?: string;
  /** The providers of the services the app uses. */
  readonly services: Record<string, string>;
  readonly plural: string;
  readonly chart: string;
  /** The HelmRelease Cozystack creates for it. */
  readonly release: string;
  readonly module: boolean;
  /** The inherited services it consumes. */
  readonly uses: readonly string[];
  /** Whether deleting it deletes data. */
  readonly holdsData: boolean;
  readonly credentials: ModelCredential[];
  readonly endpoints: ModelEndpoint[];
}

/** A tenant cluster's own bundle. */
export interface ModelCluster {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly path: string;
  /** The cluster's folder in the bundle. */
  readonly dir: string;
  readonly kubeconfigSecret: { readonly namespace: string; readonly name: string; readonly key: string };
  /** The workloads' manifests, in install order. */
  readonly manifests: any[];
}

/** A platform, collected. */
export interface PlatformModel {
  /** The Cozystack version's name, e.g. `v1.6`. */
  readonly version: string;
  readonly root: { readonly path: string; readonly namespace: string; readonly host: string; readonly name: string };
  readonly flux?: FluxDeliveryOptions;
  readonly objects: ModelObject[];
  /** Parents before children, siblings by name. */
  readonly tenants: ModelTenant[];
  readonly apps: ModelApp[];
  readonly clusters: ModelCluster[];
  /** `[construct path] message`, in a stable order. */
  readonly warnings: string[];
}
