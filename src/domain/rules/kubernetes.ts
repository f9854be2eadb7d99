/**
 * The kubernetes chart's refusals (templates/cluster.yaml, oidc-*.yaml, helmreleases/,
 * Cozystack v1.6.2), checked at synth. The node group rules are shared with the
 * kubernetes-nodes chart, whose nodegroup.yaml repeats them for a single group.
 */
import { closestInstanceType, instanceTypeSize } from '../instance-types';
import { tryParseQuantity } from '../quantity';
import { at, defineRules, orList, RuleContext, RuleProblem, secretKeyProblems, truthy } from './common';

/** @internal */
export const KUBERNETES_RULES = defineRules('kubernetes', {
  'extra-volume-name': 'controlPlane.apiServer.extraVolumes need unique names other than the chart\'s own',
  'extra-volume-source': 'controlPlane.apiServer.extraVolumes have exactly one source, configMap or secret',
  'extra-volume-mount': 'controlPlane.apiServer.extraVolumeMounts name a declared extra volume',
  'oidc-volume': 'the volume name authentication-config is the chart\'s while oidc.mode is not None',
  'oidc-flags': 'no --oidc-* or --authentication-config apiserver flags while oidc.mode is not None',
  'oidc-custom-config': 'oidc.mode CustomConfig takes exactly one of customConfig.config and customConfig.secretRef.name',
  'node-resources-pair': 'a node group sets both resources.cpu and resources.memory, or neither',
  'kubelet-format': 'kubelet reservations and eviction thresholds are quantities (or percentages) in the chart\'s format',
  'kubelet-positive': 'kubelet reservations are greater than zero; eviction percentages are in (0, 100]',
  'eviction-order': 'evictionHardMemory is below evictionSoftMemory, in the same unit type',
  'kubelet-budget': 'kubelet reservations and the hard eviction threshold leave room on the node',
  'kubelet-node-size': 'kubelet overrides need the node size (resources or instanceType)',
  'max-unhealthy': 'maxUnhealthy is an integer or an integer percentage',
  'addon-dependency': 'an addon that needs another addon has it enabled (hami, ouroboros)',
  'node-group-fields': 'node group entries carry every required field (Cozystack applies no defaults to them)',
  'etcd-provider': 'the tenant\'s etcd provider runs etcd (else the chart waits forever)',
  'ingress-nodes': 'ingress-nginx has a node group with the ingress-nginx role to run on',
  'ingress-host': 'Ingress hosts inside the cluster are ones its ingress-nginx is reached for',
  'addon-for-workloads': 'addons the cluster\'s own workloads need are not switched off',
  'secret-keys': 'an OIDC configuration Secret the program declares holds config.yaml',
  'node-role': 'node group roles are valid label names (the chart labels nodes node-role.kubernetes.io/<role>)',
  'instance-type': 'warns about an instance type of a Cozystack series that Cozystack does not install, naming the closest (the chart looks it up)',
});

const R = KUBERNETES_RULES;

/** The control-plane volumes the chart manages itself. @internal */
export const RESERVED_VOLUMES: readonly string[] = ['talos-ca', 'talos-tls-cert'];
const OIDC_VOLUME = 'authentication-config';

/** The chart's formats (cluster.yaml, the kubelet validations). */
const MEMORY_FORMAT = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const CPU_FORMAT = /^([0-9]+m|[0-9]+(\.[0-9]+)?)$/;
const PERCENT_NUMBER = /^[0-9]+(\.[0-9]+)?$/;
/** The name part of a label key (Kubernetes IsQualifiedName without a prefix). */
const LABEL_NAME = /^(?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** @internal */
export const KUBERNETES_MESSAGES = {
  extraVolumeName: (name: string, why: string) =>
    `controlPlane.apiServer.extraVolumes ${name ? `"${name}"` : 'entry'} ${why}. Give each volume a unique name other than ${orList(RESERVED_VOLUMES.map(v => `"${v}"`))}.`,
  extraVolumeSource: (name: string, sources: string[]) =>
    `controlPlane.apiServer.extraVolumes "${name}" must have exactly one source, configMap or secret (it has ${sources.length === 0 ? 'none' : sources.join(' and ')}): `
    + 'the control plane runs on the management cluster, so the chart refuses other sources (hostPath, csi, projected, ...). Use a ConfigMap or a Secret in the tenant namespace.',
  extraVolumeMount: (name: string) =>
    `controlPlane.apiServer.extraVolumeMounts mounts ${name ? `"${name}"` : 'a volume with no name'}, which is not one of the declared extraVolumes (the chart's own talos volumes cannot be mounted). Declare the volume, or fix the mount's name.`,
  oidcVolume: (mode: string) =>
    `controlPlane.apiServer.extraVolumes uses the name "${OIDC_VOLUME}", which the chart reserves for the OIDC configuration while oidc.mode is "${mode}". Rename the volume.`,
  oidcFlag: (arg: string, mode: string) =>
    `controlPlane.apiServer.extraArgs has "${arg}" while oidc.mode is "${mode}": the chart injects --authentication-config itself, and kube-apiserver refuses to start with both. `
    + 'Remove the flag and put the setting into oidc.customConfig (mode CustomConfig), or set oidc.mode: None to manage OIDC flags yourself.',
  oidcBothConfigs: () =>
    'oidc.customConfig sets both an inline config and secretRef.name: the chart takes one or the other. Keep one of them.',
  oidcNoConfig: () =>
    'oidc.mode is "CustomConfig" but neither oidc.customConfig.config nor oidc.customConfig.secretRef.name is set: the chart refuses to render. Give the AuthenticationConfiguration inline or name a Secret with a config.yaml key.',
  nodeGroupResourcesPair: (group: string, missing: string) =>
    `Node group "${group}" sets only one of resources.cpu and resources.memory: Cozystack's kubernetes chart refuses to render that. Set ${missing} too, or neither (the instance type then sizes the nodes).`,
  kubeletFormat: (group: string, key: string, value: string, kind: 'memory' | 'cpu' | 'eviction') => {
    const [want, example] = kind === 'cpu' ? ['a CPU quantity such as "100m", "0.5" or "1"', '"100m"']
      : kind === 'memory' ? ['a memory quantity such as "512Mi", "1Gi" or "1e9"', '"512Mi"']
        : ['a percentage such as "7%" or a memory quantity such as "500Mi"', key === 'evictionSoftMemory' ? '"10%"' : '"7%"'];
    return `Node group "${group}" has kubelet.${key} "${value}", which is not ${want} (the kubernetes chart refuses it). Write e.g. ${example}.`;
  },
  kubeletPositive: (group: string, key: string, value: string, percent: boolean) =>
    percent
      ? `Node group "${group}" has kubelet.${key} "${value}": eviction percentages must be greater than 0 and at most 100. Use e.g. "${key === 'evictionHardMemory' ? '7%' : '10%'}".`
      : `Node group "${group}" has kubelet.${key} "${value}": reservations must be greater than zero. Leave it out for the chart's automatic 5%, or give a positive amount.`,
  evictionOrder: (group: string, hard: string, soft: string) =>
    `Node group "${group}" evicts hard at ${hard} and soft at ${soft}: evictionHardMemory must be strictly below evictionSoftMemory. Lower the hard threshold or raise the soft one.`,
  evictionUnits: (group: string, hard: string, soft: string) =>
    `Node group "${group}" mixes a percentage and an amount (evictionHardMemory ${hard}, evictionSoftMemory ${soft}): the chart compares them, so both must be percentages or both amounts. Write both the same way.`,
  kubeletBudget: (group: string, what: string, total: string, node: string, instanceType?: string) =>
    `Node group "${group}" reserves ${what} = ${total}, which leaves nothing of the node's ${node}: the kubernetes chart refuses it. `
    + (instanceType ? `Use a larger instance type than ${instanceType}, or lower the kubelet reservations.` : 'Give the nodes more (resources), or lower the kubelet reservations.'),
  kubeletNodeSize: (group: string, what: 'memory' | 'CPU') =>
    `Node group "${group}" overrides kubelet ${what} reservations but neither resources.${what === 'CPU' ? 'cpu' : 'memory'} nor instanceType says how much ${what} a node has, so the chart cannot check them and refuses. Set resources or instanceType.`,
  nodeRole: (group: string, role: string) =>
    `Node group "${group}" has the role "${role}": the chart labels its machines node-role.kubernetes.io/${role}, and Kubernetes refuses that label name `
    + '(at most 63 characters: letters, digits, "-", "_" and ".", starting and ending with a letter or digit), so the node group is never created. '
    + `Use e.g. "${role.replace(/[^-A-Za-z0-9_.]/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '').slice(0, 63) || 'worker'}".`,
  maxUnhealthy: (where: string, value: string) =>
    `${where} is "${value}": it must be a bare integer (e.g. 0, 1) or an integer percentage (e.g. "50%"). Write e.g. "${/^\d+(\.\d+)?%$/.test(value) ? `${Math.round(parseFloat(value))}%` : '50%'}".`,
  addonDependency: (addon: string, needs: string, why: string) =>
    `addons.${addon} is enabled without addons.${needs}.enabled: ${why}, so the kubernetes chart refuses it. Enable addons.${needs}, or switch ${addon} off.`,
  nodeGroupMissingField: (group: string, field: string, example: string) =>
    `Node group "${group}" is missing ${field}: Cozystack applies no defaults to node group entries, so each needs minReplicas, maxReplicas, instanceType and the disk size. Add ${field}, e.g. ${field}: ${example}.`,
  addonDisabled: (addon: string, why: string) =>
    `addons.${addon}.enabled is false, but ${why} needs it. Enable the addon (or leave it unset and the library enables it), or remove what needs it.`,
  ingressHostNotServed: (host: string, tenantHost: string) =>
    `Ingress host "${host}" is neither in addons.ingressNginx.hosts nor under the tenant's domain ${tenantHost}: traffic for it never reaches this cluster. List it in addons.ingressNginx.hosts (and point its DNS at the tenant's ingress), or use a name under ${tenantHost}.`,
  noIngressNodes: (near?: string) =>
    'ingress-nginx is enabled, but no node group has the role "ingress-nginx": its controller runs only on such nodes and would stay Pending. '
    + (near ? `A node group has the role "${near}": labels are case-sensitive, write "ingress-nginx".` : 'Add roles: ["ingress-nginx"] to a node group with minReplicas >= 1.'),
} as const;

const M = KUBERNETES_MESSAGES;

function toBytes(s: string): number | undefined {
  const q = tryParseQuantity(s);
  return typeof q === 'string' ? undefined : Number(q.mantissa) * Math.pow(10, q.scale);
}

function toMillicores(s: string): number | undefined {
  if (s.endsWith('m')) {
    const n = Number(s.slice(0, -1));
    return Number.isFinite(n) ? n : undefined;
  }
  const n = Number(s);
  return Number.isFinite(n) ? Math.trunc(n * 1000) : undefined;
}

function str(v: unknown): string | undefined {
  return v === undefined || v === null || v === '' ? undefined : String(v);
}

/**
 * The render-time rules of one node group (kubernetes `nodeGroups.<name>`, or the whole
 * kubernetes-nodes spec). `base` is the group's spec path.
 * @internal
 */
export function nodeGroupProblems(group: string, g: any, base: string): RuleProblem[] {
  const out: RuleProblem[] = [];
  const push = (rule: string, path: string, message: string) => out.push({ rule, path, message });
  const memory = str(at(g, 'resources.memory'));
  const cpu = str(at(g, 'resources.cpu'));
  const halfSized = (cpu === undefined) !== (memory === undefined);
  if (halfSized) {
    push(R['node-resources-pair'].id, `${base}.resources`, M.nodeGroupResourcesPair(group, cpu === undefined ? 'resources.cpu' : 'resources.memory'));
  }
  const roles = Array.isArray(g?.roles) ? g.roles as unknown[] : [];
  roles.forEach((role, i) => {
    if (typeof role === 'string' && !LABEL_NAME.test(role)) push(R['node-role'].id, `${base}.roles[${i}]`, M.nodeRole(group, role));
  });
  const k = (g?.kubelet ?? {}) as Record<string, unknown>;
  let formatBad = false;
  for (const [key, kind] of [['systemReservedMemory', 'memory'], ['kubeReservedMemory', 'memory'], ['systemReservedCpu', 'cpu'], ['kubeReservedCpu', 'cpu']] as const) {
    const v = str(k[key]);
    if (v === undefined) continue;
    if (!(kind === 'cpu' ? CPU_FORMAT : MEMORY_FORMAT).test(v)) {
      formatBad = true;
      push(R['kubelet-format'].id, `${base}.kubelet.${key}`, M.kubeletFormat(group, key, v, kind));
    } else if ((kind === 'cpu' ? toMillicores(v) : toBytes(v))! <= 0) {
      formatBad = true;
      push(R['kubelet-positive'].id, `${base}.kubelet.${key}`, M.kubeletPositive(group, key, v, false));
    }
  }
  const hard = str(k.evictionHardMemory) ?? '7%';
  const soft = str(k.evictionSoftMemory) ?? '10%';
  let evictionBad = false;
  for (const [key, v] of [['evictionHardMemory', hard], ['evictionSoftMemory', soft]] as const) {
    const bad = v.endsWith('%') ? !PERCENT_NUMBER.test(v.slice(0, -1)) : !MEMORY_FORMAT.test(v);
    if (bad) {
      evictionBad = true;
      push(R['kubelet-format'].id, `${base}.kubelet.${key}`, M.kubeletFormat(group, key, v, 'eviction'));
    } else if (v.endsWith('%') && (parseFloat(v) <= 0 || parseFloat(v) > 100)) {
      evictionBad = true;
      push(R['kubelet-positive'].id, `${base}.kubelet.${key}`, M.kubeletPositive(group, key, v, true));
    }
  }
  if (!evictionBad) {
    if (hard.endsWith('%') !== soft.endsWith('%')) {
      evictionBad = true;
      push(R['eviction-order'].id, `${base}.kubelet.evictionHardMemory`, M.evictionUnits(group, hard, soft));
    } else if ((hard.endsWith('%') ? parseFloat(hard) >= parseFloat(soft) : toBytes(hard)! >= toBytes(soft)!)) {
      evictionBad = true;
      push(R['eviction-order'].id, `${base}.kubelet.evictionHardMemory`, M.evictionOrder(group, hard, soft));
    }
  }
  const hasMemOverride = ['systemReservedMemory', 'kubeReservedMemory', 'evictionHardMemory', 'evictionSoftMemory'].some(key => truthy(k[key]));
  const hasCpuOverride = ['systemReservedCpu', 'kubeReservedCpu'].some(key => truthy(k[key]));
  const hasInstanceType = truthy(g?.instanceType);
  if (memory === undefined && !hasInstanceType && hasMemOverride) {
    push(R['kubelet-node-size'].id, `${base}.kubelet#size`, M.kubeletNodeSize(group, 'memory'));
  }
  if (cpu === undefined && !hasInstanceType && hasCpuOverride) {
    push(R['kubelet-node-size'].id, `${base}.kubelet#size`, M.kubeletNodeSize(group, 'CPU'));
  }
  // The budget is checkable when the group gives its size or names an instance type Cozystack installs;
  // any other instance type's size needs a live lookup.
  const typed = memory === undefined || cpu === undefined ? instanceTypeSize(g?.instanceType) : undefined;
  const nodeMemory = memory ?? typed?.memory;
  const nodeCpu = cpu ?? (typed ? String(typed.cpu) : undefined);
  const sizedBy = (own: string | undefined, what: string) => (own !== undefined ? `${own} ${what}` : `${what === 'CPU' ? nodeCpu : nodeMemory} ${what} (instance type ${g.instanceType})`);
  const nodeBytes = nodeMemory !== undefined ? toBytes(nodeMemory) : undefined;
  // A half-sized group is one problem: which size the nodes get depends on how it is fixed.
  if (!halfSized && !formatBad && !evictionBad && nodeBytes !== undefined && nodeBytes > 0) {
    const autoMi = Math.min(Math.max(Math.trunc(Math.trunc(nodeBytes / 1048576) * 0.05), 256), 1024);
    const sys = str(k.systemReservedMemory) ?? `${autoMi}Mi`;
    const kube = str(k.kubeReservedMemory) ?? `${autoMi}Mi`;
    const hardBytes = hard.endsWith('%') ? nodeBytes * parseFloat(hard) / 100 : toBytes(hard)!;
    if (toBytes(sys)! + toBytes(kube)! + hardBytes >= nodeBytes) {
      push(R['kubelet-budget'].id, `${base}.kubelet#memory`, M.kubeletBudget(group, `systemReservedMemory ${sys} + kubeReservedMemory ${kube} + evictionHardMemory ${hard}`,
        `${Math.round((toBytes(sys)! + toBytes(kube)! + hardBytes) / 1048576)}Mi`, sizedBy(memory, 'of memory'), memory === undefined ? g.instanceType : undefined));
    }
  }
  const nodeMillis = nodeCpu !== undefined ? toMillicores(nodeCpu) : undefined;
  if (!halfSized && !formatBad && nodeMillis !== undefined && nodeMillis > 0) {
    const auto = Math.min(Math.max(Math.trunc(nodeMillis * 0.05), 50), 500);
    const sys = str(k.systemReservedCpu) ?? `${auto}m`;
    const kube = str(k.kubeReservedCpu) ?? `${auto}m`;
    if (toMillicores(sys)! + toMillicores(kube)! >= nodeMillis) {
      push(R['kubelet-budget'].id, `${base}.kubelet#cpu`, M.kubeletBudget(group, `systemReservedCpu ${sys} + kubeReservedCpu ${kube}`,
        `${toMillicores(sys)! + toMillicores(kube)!}m`, sizedBy(cpu, 'CPU'), cpu === undefined ? g.instanceType : undefined));
    }
  }
  return out;
}

/** maxUnhealthy as the chart reads it: an integer or an integer percentage. @internal */
export function maxUnhealthyProblems(value: unknown, where: string, path: string): RuleProblem[] {
  if (value === undefined || value === null) return [];
  const v = String(value);
  if (/^[0-9]+%$/.test(v) || /^[0-9]+$/.test(v)) return [];
  return [{ rule: R['max-unhealthy'].id, path, message: M.maxUnhealthy(where, v) }];
}

/** The chart's rules for the API server's extra volumes, flags and OIDC. */
function apiServerProblems(spec: any): RuleProblem[] {
  const out: RuleProblem[] = [];
  const api = at(spec, 'controlPlane.apiServer') ?? {};
  const mode = String(at(spec, 'oidc.mode') ?? 'None');
  const oidcOn = mode !== 'None';
  const names: string[] = [];
  ((api.extraVolumes ?? []) as any[]).forEach((v, i) => {
    const path = `spec.controlPlane.apiServer.extraVolumes[${i}]`;
    const name = v?.name === undefined || v?.name === null ? '' : String(v.name);
    if (!name) out.push({ rule: R['extra-volume-name'].id, path, message: M.extraVolumeName(name, 'has no name') });
    else if (RESERVED_VOLUMES.includes(name)) out.push({ rule: R['extra-volume-name'].id, path, message: M.extraVolumeName(name, 'uses a name the chart reserves') });
    else if (names.includes(name)) out.push({ rule: R['extra-volume-name'].id, path, message: M.extraVolumeName(name, 'is declared twice') });
    else if (oidcOn && name === OIDC_VOLUME) out.push({ rule: R['oidc-volume'].id, path, message: M.oidcVolume(mode) });
    names.push(name);
    const sources = Object.keys(v ?? {}).filter(s => s !== 'name').sort();
    if (sources.length !== 1 || !['configMap', 'secret'].includes(sources[0])) {
      out.push({ rule: R['extra-volume-source'].id, path, message: M.extraVolumeSource(name, sources) });
    }
  });
  ((api.extraVolumeMounts ?? []) as any[]).forEach((m, i) => {
    const name = m?.name === undefined || m?.name === null ? '' : String(m.name);
    if (!name || !names.includes(name) || RESERVED_VOLUMES.includes(name)) {
      out.push({ rule: R['extra-volume-mount'].id, path: `spec.controlPlane.apiServer.extraVolumeMounts[${i}]`, message: M.extraVolumeMount(name) });
    }
  });
  if (oidcOn) {
    ((api.extraArgs ?? []) as unknown[]).forEach((arg, i) => {
      const a = String(arg);
      if (a.startsWith('--oidc-') || a.startsWith('--authentication-config')) {
        out.push({ rule: R['oidc-flags'].id, path: `spec.controlPlane.apiServer.extraArgs[${i}]`, message: M.oidcFlag(a, mode) });
      }
    });
  }
  if (mode === 'CustomConfig') {
    const config = at(spec, 'oidc.customConfig.config');
    const inline = config !== undefined && config !== null && config !== '';
    const secret = truthy(at(spec, 'oidc.customConfig.secretRef.name'));
    if (inline && secret) out.push({ rule: R['oidc-custom-config'].id, path: 'spec.oidc.customConfig', message: M.oidcBothConfigs() });
    if (!inline && !secret) out.push({ rule: R['oidc-custom-config'].id, path: 'spec.oidc.customConfig', message: M.oidcNoConfig() });
  }
  return out;
}

/** YAML 1.1 and Helm read these as true (ouroboros.yaml compares lower-cased strings). */
function yamlTrue(v: unknown): boolean {
  return ['true', '1', 'yes', 'on', 'y'].includes(String(v).toLowerCase());
}

function addonProblems(spec: any): RuleProblem[] {
  const out: RuleProblem[] = [];
  const on = (a: string) => truthy(at(spec, `addons.${a}.enabled`));
  if (on('hami') && !on('gpuOperator')) {
    out.push({ rule: R['addon-dependency'].id, path: 'spec.addons.hami.enabled', message: M.addonDependency('hami', 'gpuOperator', 'HAMi shares the GPUs the GPU operator sets up') });
  }
  if (on('ouroboros') && !on('ingressNginx')) {
    out.push({ rule: R['addon-dependency'].id, path: 'spec.addons.ouroboros.enabled', message: M.addonDependency('ouroboros', 'ingressNginx', 'ouroboros fixes hairpin traffic to the tenant\'s ingress-nginx and has nothing to do without it') });
  }
  const gw = at(spec, 'addons.ouroboros.valuesOverride.ouroboros.controller.gatewayApi');
  if (gw && typeof gw === 'object' && 'enabled' in gw && yamlTrue(gw.enabled) && !on('gatewayAPI')) {
    out.push({
      rule: R['addon-dependency'].id,
      path: 'spec.addons.ouroboros.valuesOverride',
      message: M.addonDependency('ouroboros.valuesOverride.ouroboros.controller.gatewayApi', 'gatewayAPI', 'the controller would wait for Gateway API types the cluster does not have'),
    });
  }
  return out;
}

/**
 * The kubernetes chart's refusals for a spec (chart defaults merged).
 * @internal
 */
export function kubernetesProblems(spec: any, _ctx: RuleContext = {}): RuleProblem[] {
  const out: RuleProblem[] = apiServerProblems(spec);
  const groups = (spec.nodeGroups ?? {}) as Record<string, any>;
  for (const [group, g] of Object.entries(groups)) {
    out.push(...nodeGroupProblems(group, g, `spec.nodeGroups.${group}`));
    const own = g && typeof g === 'object' && 'maxUnhealthy' in g;
    out.push(...maxUnhealthyProblems(own ? g.maxUnhealthy : at(spec, 'nodeHealthCheck.maxUnhealthy'),
      own ? `nodeGroups.${group}.maxUnhealthy` : 'nodeHealthCheck.maxUnhealthy',
      own ? `spec.nodeGroups.${group}.maxUnhealthy` : 'spec.nodeHealthCheck.maxUnhealthy'));
  }
  out.push(...addonProblems(spec));
  // One message per problem: the cluster-wide maxUnhealthy is reported once, not per group.
  const seen = new Set<string>();
  return out.filter(p => {
    const key = `${p.path}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The key the chart mounts from a custom OIDC configuration Secret the program declares
 * (cluster.yaml mounts the Secret at /etc/kubernetes/authentication-config and points
 * --authentication-config at config.yaml in it).
 * @internal
 */
export function oidcSecretKeyProblems(spec: any, secretName: string, keys: readonly string[] | undefined): RuleProblem[] {
  if (at(spec, 'oidc.mode') !== 'CustomConfig') return [];
  return secretKeyProblems(R['secret-keys'].id, 'spec.oidc.customConfig.secretRef', 'oidcCustomConfigSecret', secretName, keys, [
    { key: 'config.yaml', what: 'the API server\'s AuthenticationConfiguration' },
  ]);
}

/**
 * Instance types of one of Cozystack's series that Cozystack does not install: the chart looks
 * them up and refuses a missing one, but a platform may define it, so this is a warning.
 * @internal
 */
export function instanceTypeWarnings(fields: ReadonlyArray<readonly [string, unknown]>): string[] {
  return fields.flatMap(([field, value]) => {
    const near = closestInstanceType(value);
    return near ? [`${field} "${value}" is not an instance type Cozystack installs (did you mean "${near}"?): the chart looks it up on the cluster and refuses a name that does not exist. `
      + 'Ignore this if your platform defines it.'] : [];
  });
}

/** The kubernetes chart's warnings for a spec as written. @internal */
export function kubernetesWarnings(spec: any): string[] {
  return instanceTypeWarnings(Object.entries<any>(spec?.nodeGroups ?? {}).map(([g, v]) => [`nodeGroups.${g}.instanceType`, v?.instanceType] as const));
}
