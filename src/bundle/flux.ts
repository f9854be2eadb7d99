/**
 * GitOps delivery with Flux: one Flux `Kustomization` per wave, each depending on the
 * previous one and waiting for its objects (the Tenants) to be Ready, plus one per
 * tenant cluster bundle, applied with that cluster's kubeconfig.
 */
import { Duration } from 'cdk8s';
import { MESSAGES } from '../domain/rules';

/** Where Flux finds the bundle and how it applies it. */
export interface FluxDeliveryOptions {
  /** Kind of the Flux source that holds the synthesized bundle. */
  readonly sourceKind: FluxSourceKind;
  /** Name of the Flux source. */
  readonly sourceName: string;
  /**
   * Namespace of the Flux source.
   * @default "flux-system"
   */
  readonly sourceNamespace?: string;
  /**
   * Path of the bundle (the synth output directory) inside the source, e.g. `./dist`.
   */
  readonly path: string;
  /**
   * Namespace of the wave Kustomizations.
   * @default "flux-system"
   */
  readonly namespace?: string;
  /**
   * Prefix of the Kustomizations' names (`<prefix>-wave-00`, ...).
   * @default "cozystack"
   */
  readonly namePrefix?: string;
  /**
   * How often Flux reconciles each Kustomization.
   * @default Duration.minutes(10)
   */
  readonly interval?: Duration;
  /**
   * How long Flux waits for a wave's objects to be Ready before it reports the wave failed.
   * @default Duration.minutes(30)
   */
  readonly timeout?: Duration;
  /**
   * Service account the wave Kustomizations impersonate.
   * @default - the kustomize-controller's own.
   */
  readonly serviceAccountName?: string;
}

/** Flux's annotation that keeps an object when it disappears from the source. */
export const FLUX_PRUNE_DISABLED = { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' };

/**
 * The kind of Flux source a Kustomization reads the bundle from.
 */
export class FluxSourceKind {
  /** A Git repository (`source.toolkit.fluxcd.io` GitRepository). */
  public static readonly GIT_REPOSITORY = new FluxSourceKind('GitRepository');
  /** An OCI artifact (OCIRepository). */
  public static readonly OCI_REPOSITORY = new FluxSourceKind('OCIRepository');
  /** An S3-compatible bucket (Bucket). */
  public static readonly BUCKET = new FluxSourceKind('Bucket');

  /**
   * A source kind by name, e.g. from configuration. Checked at synth: a name that is not a
   * kind a Kustomization can reference is refused.
   * @param kind the kind's name, e.g. `GitRepository`
   */
  public static of(kind: string): FluxSourceKind {
    return new FluxSourceKind(kind);
  }

  /** The kind's name. */
  public readonly kind: string;

  private constructor(kind: string) {
    this.kind = kind;
  }
}

/** What is wrong with the source kind of Flux options, one message per problem. */
export function fluxSourceKindProblems(options: FluxDeliveryOptions): string[] {
  const kinds = [FluxSourceKind.GIT_REPOSITORY, FluxSourceKind.OCI_REPOSITORY, FluxSourceKind.BUCKET].map(k => k.kind);
  return kinds.includes(options.sourceKind.kind) ? [] : [MESSAGES.fluxSourceKind(options.sourceKind.kind, kinds)];
}

/** A duration as Go (and so Flux) writes it: `10m`, `1h`, `90s`. */
function goDuration(d: Duration | undefined, fallback: string): string {
  if (!d) return fallback;
  const s = d.toSeconds();
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/** A wave or cluster bundle as Flux delivers it. @internal */
export interface FluxUnit {
  /** Kustomization name suffix, e.g. `wave-00` or `cluster-tenant-foo-k`. */
  readonly id: string;
  /** The bundle files of the unit, relative to the bundle root. */
  readonly files: string[];
  /** For a tenant cluster: where its kubeconfig Secret is. */
  readonly kubeconfig?: { readonly namespace: string; readonly name: string; readonly key: string };
}

/**
 * The Flux manifests of a bundle:
 * - `flux/kustomizations.k8s.yaml`: what the user applies once (or adds to Flux's own
 *   sync): one Flux Kustomization per wave in `namespace`, each depending on the previous;
 *   with tenant clusters, one more (`<prefix>-clusters`) after the last wave;
 * - `flux/<wave>/kustomization.yaml`: a kustomize file listing the wave's bundle file
 *   (Flux builds without load restrictions, so `../../` works);
 * - `flux/clusters.k8s.yaml`: per tenant cluster, a Flux Kustomization in the tenant
 *   namespace (beside the cluster's kubeconfig Secret) applying the cluster's bundle through
 *   its API. The `clusters` unit applies them once every wave, and so every namespace, is there.
 * @internal
 */
export function fluxFiles(o: FluxDeliveryOptions, waves: FluxUnit[], clusters: FluxUnit[]): { [file: string]: object | object[] } {
  const ns = o.namespace ?? 'flux-system';
  const prefix = o.namePrefix ?? 'cozystack';
  const base = o.path.replace(/\/+$/, '');
  const out: { [file: string]: object | object[] } = {};
  const kustomization = (u: FluxUnit, namespace: string, dependsOn?: string) => ({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: `${prefix}-${u.id}`, namespace },
    spec: {
      interval: goDuration(o.interval, '10m'),
      timeout: goDuration(o.timeout, '30m'),
      path: `${base}/flux/${u.id}`,
      prune: true,
      wait: true,
      sourceRef: { kind: o.sourceKind.kind, name: o.sourceName, namespace: o.sourceNamespace ?? 'flux-system' },
      ...(dependsOn ? { dependsOn: [{ name: dependsOn }] } : {}),
      ...(u.kubeconfig ? { kubeConfig: { secretRef: { name: u.kubeconfig.name, key: u.kubeconfig.key } } } : {}),
      ...(o.serviceAccountName && !u.kubeconfig ? { serviceAccountName: o.serviceAccountName } : {}),
    },
  });
  const kustomize = (u: FluxUnit, files: string[]) => {
    out[`flux/${u.id}/kustomization.yaml`] = {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: files.map(f => `../../${f}`),
    };
  };

  const top: object[] = [];
  let previous: string | undefined;
  for (const w of waves) {
    kustomize(w, w.files);
    top.push(kustomization(w, ns, previous));
    previous = `${prefix}-${w.id}`;
  }
  if (clusters.length > 0) {
    const all: FluxUnit = { id: 'clusters', files: ['flux/clusters.k8s.yaml'] };
    kustomize(all, all.files);
    top.push(kustomization(all, ns, previous));
    out['flux/clusters.k8s.yaml'] = clusters.map(c => {
      kustomize(c, c.files);
      return kustomization(c, c.kubeconfig!.namespace);
    });
  }
  out['flux/kustomizations.k8s.yaml'] = top;
  return out;
}
