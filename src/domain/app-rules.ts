/**
 * The rules every app kind shares, driven by the registry of kinds: its name, the
 * Cozystack versions that serve it, the services it needs from its providers (SPEC.md §3
 * "Service inheritance"), references to other apps, and deprecated fields. One rule for
 * all kinds: a kind's facts live in the registry, never here.
 */
import { KindDefinition, maxNameLength, renderTemplate, ROOT_NAMESPACE, ServiceNeed } from './registry';
import { MESSAGES, PATTERNS } from './rules';
import { at as valueAtPath } from './rules/common';
import { ClusterService } from './services';
import { CozystackVersion } from './versions';
import { DEPRECATED_FIELDS } from '../generated/deprecations';

/** The name rule of an app kind: a DNS-1035 label with `len(prefix + name) <= 53`. @internal */
export function appNameProblems(def: KindDefinition, name: string): string[] {
  const max = maxNameLength(def);
  return PATTERNS.DNS1035_LABEL.test(name) && name.length <= max ? [] : [MESSAGES.appName(def.kind, name, max)];
}

/** The version named by a release tag such as `v1.2.0`. */
function versionOf(release: string): CozystackVersion {
  return CozystackVersion.of(release);
}

/**
 * Whether the platform's Cozystack version serves the kind (definitions.json `since` and
 * `v0Kind`, read from Cozystack's tags). Also refuses a v0.41 kind whose v0.41 chart data
 * the library does not carry: its spec could not be checked.
 * @internal
 */
export function kindVersionProblems(def: KindDefinition, version: CozystackVersion): string[] {
  // Asked for every app of a platform, several times each: computed once per kind and version.
  let byVersion = VERSION_PROBLEMS.get(def);
  if (!byVersion) VERSION_PROBLEMS.set(def, byVersion = new Map());
  let problems = byVersion.get(version);
  if (!problems) byVersion.set(version, problems = uncachedKindVersionProblems(def, version));
  return [...problems];
}

const VERSION_PROBLEMS = new WeakMap<KindDefinition, Map<CozystackVersion, string[]>>();

function uncachedKindVersionProblems(def: KindDefinition, version: CozystackVersion): string[] {
  const since = versionOf(def.since);
  if (version.major === 0) {
    if (def.v0Kind === null) return [APP_MESSAGES.kindTooNew(def.kind, version.name, since.name)];
    if (def.v0Kind && def.v0Kind !== def.kind) return [APP_MESSAGES.kindRenamed(def.kind, version.name, def.v0Kind, since.name)];
    if (!def.chartReleases.includes(version.chartRelease)) {
      return [APP_MESSAGES.kindWithoutData(def.kind, version.name, version.chartRelease, since.name)];
    }
    return [];
  }
  return version.isAtLeast(since) ? [] : [APP_MESSAGES.kindTooNew(def.kind, version.name, since.name)];
}

/** What a need is checked against: the provider of a service and whether it runs it. @internal */
export interface ProviderView {
  /** The namespace of the tenant providing the service. */
  readonly namespace: string;
  /** Whether that tenant runs the service. */
  readonly runs: boolean;
}

/** An app as the needs rule sees it. @internal */
export interface NeedingApp {
  readonly kind: string;
  readonly name: string;
  readonly release: string;
  /** The app's tenant namespace. */
  readonly namespace: string;
  /** The spec; read only for needs with a spec condition whose provider is missing. */
  spec(): Record<string, unknown>;
  providerOf(service: ClusterService): ProviderView;
}

/** The errors and warnings of the needs rule. @internal */
export interface NeedFindings {
  readonly errors: string[];
  readonly warnings: string[];
}

function holds(spec: Record<string, unknown>, when: ServiceNeed['when']): boolean {
  return (when ?? []).every(c => (valueAtPath(spec, c.path) ?? c.default) === c.equals);
}

/**
 * The services an app needs that its providers do not run: refused when the app can never
 * work, warned about when something of it is never served (registry `needs`).
 * @internal
 */
export function unmetNeeds(needs: readonly ServiceNeed[], app: NeedingApp): NeedFindings {
  const errors: string[] = [];
  const warnings: string[] = [];
  let spec: Record<string, unknown> | undefined;
  for (const need of needs) {
    const p = app.providerOf(need.service);
    if (p.runs) continue;
    if (need.orGateway && app.providerOf(ClusterService.GATEWAY).runs) continue;
    if (need.when && !holds(spec ??= app.spec(), need.when)) continue;
    const message = APP_MESSAGES.unmetNeed(app, need, p.namespace);
    (need.effect === 'refuse' ? errors : warnings).push(message);
  }
  return { errors, warnings };
}

/**
 * The warnings of a module's needs (a module's object is named after its chart).
 * @internal
 */
export function moduleNeedWarnings(
  def: KindDefinition, namespace: string, spec: Record<string, unknown>, providerOf: (s: ClusterService) => ProviderView,
): string[] {
  const name = def.fixedName ?? def.chart;
  return unmetNeeds(def.needs, { kind: def.kind, name, release: name, namespace, spec: () => spec, providerOf }).warnings;
}

/** The construct a tenant runs a service with. */
function moduleConstruct(service: ClusterService): string {
  const names: Record<string, string> = {
    etcd: 'EtcdService', ingress: 'IngressService', monitoring: 'MonitoringService', seaweedfs: 'SeaweedFSService', gateway: 'GatewayService',
  };
  return names[service];
}

/** Charts with a deprecated field. */
const DEPRECATING_CHARTS = new Set(DEPRECATED_FIELDS.map(d => d.chart));

/** Whether a chart has any deprecated field. @internal */
export function hasDeprecatedFields(chart: string): boolean {
  return DEPRECATING_CHARTS.has(chart);
}

/**
 * Warnings for deprecated fields a spec sets (src/generated/deprecations.ts), each with its
 * replacement; a field under a deprecated field that is already reported is not repeated.
 * @internal
 */
export function deprecatedFieldWarnings(chart: string, spec: Record<string, unknown>): string[] {
  const set = DEPRECATED_FIELDS.filter(d => d.chart === chart && valueAtPath(spec, d.path) !== undefined);
  return set
    .filter(d => !set.some(o => o !== d && d.path.startsWith(`${o.path}.`)))
    .map(d => APP_MESSAGES.deprecatedField(`spec.${d.path}`, d.since, d.replacement));
}

/** The values at a path with `*` for any key of a map, with their concrete paths. */
function valuesAt(node: unknown, parts: string[], at: string, out: Array<{ path: string; value: unknown }>): void {
  if (parts.length === 0) {
    out.push({ path: at, value: node });
    return;
  }
  if (!node || typeof node !== 'object' || Array.isArray(node)) return;
  const [head, ...rest] = parts;
  const keys = head === '*' ? Object.keys(node) : [head];
  for (const k of keys) valuesAt((node as Record<string, unknown>)[k], rest, `${at}.${k}`, out);
}

/**
 * Warnings for secrets a spec carries in plain text where the chart takes them only inline
 * (registry `plaintext`): they are stored unencrypted in the object and its HelmRelease.
 * @internal
 */
export function plaintextWarnings(def: KindDefinition, spec: Record<string, unknown>): string[] {
  const found: Array<{ path: string; value: unknown }> = [];
  for (const p of def.plaintext) valuesAt(spec, p.split('.'), 'spec', found);
  return found.filter(f => typeof f.value === 'string' && f.value !== '').map(f => APP_MESSAGES.plaintextValue(f.path, def.kind));
}

/** The messages of these rules: what is wrong, the rule, the fix. @internal */
export const APP_MESSAGES = {
  kindTooNew: (kind: string, target: string, since: string) =>
    `${kind} is not served by Cozystack ${target}: the kind exists from ${since}. Remove it, or set the RootTenant's version to ${since} or newer.`,
  kindRenamed: (kind: string, target: string, v0Kind: string, since: string) =>
    `${kind} is not served by Cozystack ${target}, which called the kind ${v0Kind}: the library writes ${kind} objects for ${since} and newer only. Set the RootTenant's version to ${since} or newer.`,
  kindWithoutData: (kind: string, target: string, release: string, since: string) =>
    `${kind} cannot be checked for Cozystack ${target}: the library carries no ${release} chart data for the kind, so it could not validate the spec. Set the RootTenant's version to ${since} or newer.`,
  unmetNeed: (app: NeedingApp, need: ServiceNeed, provider: string) => {
    const consequence = renderTemplate(need.consequence, { name: app.name, namespace: app.namespace, release: app.release });
    const target = provider === ROOT_NAMESPACE ? 'the RootTenant' : `tenant ${provider}`;
    const module = moduleConstruct(need.service);
    const article = /^[AEIOU]/.test(module) ? 'an' : 'a';
    const gateway = need.orGateway ? ' (a GatewayService serves it as well)' : '';
    return `${app.kind} "${app.name}" ${need.role} of ${provider}, the nearest tenant providing ${need.service} to ${app.namespace}, `
      + `but ${provider} does not run ${need.service}: ${consequence}. Add ${article} ${module} to ${target} (or to ${app.namespace} or a tenant in between)${gateway}.`;
  },
  plaintextValue: (path: string, kind: string) =>
    `${path} is stored in plain text in the ${kind} object, its HelmRelease and the bundle's files (the chart takes it only inline). `
    + 'Leave it out where the chart generates one (it then lands in the credentials Secret), or keep the bundle out of Git.',
  deprecatedField: (path: string, since: string, replacement: string) =>
    `${path} is deprecated since Cozystack ${since}: use ${replacement}.`,
  referenceWrongKind: (prop: string, value: string, expected: string) =>
    `${prop} is ${value}, not a ${expected} of this library: the chart looks the object up by name, so only a ${expected} construct can be referenced. Pass the ${expected} you declared.`,
  referenceOtherTenant: (prop: string, target: string, targetNamespace: string, namespace: string) =>
    `${prop} refers to ${target} in ${targetNamespace}, but this app lives in ${namespace}: the chart finds the object in its own namespace only. Declare both in the same tenant.`,
  nodesPoolCollides: (pool: string, cluster: string, at: string) =>
    `KubernetesNodes pool "${pool}" has the name of a node group of Kubernetes "${cluster}" (${at}): the cluster's chart already manages a MachineDeployment of that name and the kubernetes-nodes chart refuses to take it over. Rename the pool, or remove the node group from the cluster first.`,
  rootOnly: (kind: string, namespace: string) =>
    `${kind} is a module of the root tenant only (Cozystack installs it for the whole platform), but this one is in ${namespace}. Declare it on the RootTenant.`,
  referenceSelf: (prop: string, kind: string) =>
    `${prop} names this ${kind} itself: a disk cannot be cloned from itself. Pass another ${kind}.`,
  referenceAsString: (field: string, prop: string, expected: string) =>
    `spec.${field} is set as a plain name: references are objects here, so the library can check that the ${expected} exists in this tenant. Pass the ${expected} in ${prop} instead.`,
} as const;
