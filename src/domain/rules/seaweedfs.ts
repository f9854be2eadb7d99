/**
 * The seaweedfs chart's preflight refusals (templates/seaweedfs.yaml, Cozystack v1.6.2),
 * checked at synth. Helm walks maps in sorted key order; so do these checks, so the
 * first pool of a conflict is the one the chart names.
 */
import { closest, defineRules, RuleContext, RuleProblem, truthy } from './common';

/** @internal */
export const SEAWEEDFS_RULES = defineRules('seaweedfs', {
  'topology': 'topology is Simple, MultiZone or Client, with what each needs (filer.grpcHost, zones)',
  'replication': 'replicationFactor is at least 1 and, with MultiZone, at most the number of zones',
  'pools-topology': 'volume.pools only with Simple topology (MultiZone uses zones.*.pools)',
  'disk-type': 'disk types are lowercase letters and digits; a pool\'s differs from volume.diskType and is the same in every zone',
  'pool-name': 'pool names are DNS labels not ending in -lock or -readonly, and zone-pool names do not collide with zones',
});

const R = SEAWEEDFS_RULES;
const TOPOLOGIES = ['Simple', 'MultiZone', 'Client'];
const DISK_TYPE = /^[a-z0-9]+$/;
const POOL_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** @internal */
export const SEAWEEDFS_MESSAGES = {
  topology: (value: unknown) => {
    const near = typeof value === 'string' ? closest(value, TOPOLOGIES, true) : 'Simple';
    return `topology is ${JSON.stringify(value)}: the seaweedfs chart knows Simple, MultiZone and Client (the case matters). Use "${near}".`;
  },
  clientGrpcHost: () =>
    'topology is "Client" but filer.grpcHost is not set: a client deployment mounts a remote filer and the chart refuses to render without its gRPC endpoint. Set filer.grpcHost.',
  noZones: () => 'topology is "MultiZone" but volume.zones is empty: the chart refuses to render. Declare the zones in volume.zones.',
  replicationMin: (value: unknown) =>
    `replicationFactor is ${JSON.stringify(value)}: the seaweedfs chart needs at least 1. Use 1 (no copies) or more.`,
  replicationZones: (factor: number, zones: number) =>
    `replicationFactor is ${factor}, but only ${zones} zone${zones === 1 ? ' is' : 's are'} declared: with MultiZone each copy lives in another zone, so the chart refuses more copies than zones. Lower replicationFactor to ${zones}, or add zones.`,
  poolsTopology: (topology: string) =>
    `volume.pools is set with topology "${topology}": ${topology === 'MultiZone' ? 'with MultiZone, pools are declared per zone (volume.zones.<zone>.pools)' : 'a client deployment has no volume servers'}, so the chart refuses it. ${topology === 'MultiZone' ? 'Move the pools into volume.zones.<zone>.pools.' : 'Remove volume.pools.'}`,
  diskType: (where: string, value: unknown) =>
    `${where} is ${JSON.stringify(value)}: disk types are lowercase letters and digits (the chart refuses others, capitals included). ${typeof value === 'string' && value.toLowerCase().replace(/[^a-z0-9]/g, '') ? `Write "${value.toLowerCase().replace(/[^a-z0-9]/g, '')}".` : 'Write e.g. "ssd".'}`,
  diskTypeMissing: (where: string) => `${where}.diskType is not set: every pool needs its disk type. Set it, e.g. diskType: "ssd".`,
  diskTypeSame: (where: string, value: string) =>
    `${where}.diskType is "${value}", the same as volume.diskType: a pool exists to put data on another kind of disk, so the chart refuses it. Use another disk type, or drop the pool.`,
  diskTypeZones: (pool: string, first: string, other: string, zone: string) =>
    `Pool "${pool}" has disk type "${first}" in one zone and "${other}" in zone "${zone}": a pool spans zones with one disk type. Use "${first}" everywhere.`,
  poolName: (where: string, name: string, why: string) => `${where} "${name}" ${why}. Rename the pool.`,
} as const;

const M = SEAWEEDFS_MESSAGES;

function poolProblems(where: string, path: string, name: string, pool: any, volumeDiskType: unknown): RuleProblem[] {
  const out: RuleProblem[] = [];
  if (!POOL_NAME.test(name)) {
    out.push({ rule: R['pool-name'].id, path, message: M.poolName(where, name, 'is not a DNS label (lowercase letters, digits and "-", no dots)') });
  } else if (name.endsWith('-lock') || name.endsWith('-readonly')) {
    out.push({ rule: R['pool-name'].id, path, message: M.poolName(where, name, 'ends in "-lock" or "-readonly", which the chart keeps for its bucket classes') });
  }
  const dt = pool?.diskType;
  if (!truthy(dt)) out.push({ rule: R['disk-type'].id, path: `${path}.diskType`, message: M.diskTypeMissing(`${where} "${name}"`) });
  else if (!DISK_TYPE.test(String(dt))) out.push({ rule: R['disk-type'].id, path: `${path}.diskType`, message: M.diskType(`${where} "${name}" diskType`, dt) });
  else if (truthy(volumeDiskType) && dt === volumeDiskType) out.push({ rule: R['disk-type'].id, path: `${path}.diskType`, message: M.diskTypeSame(`${where} "${name}"`, String(dt)) });
  return out;
}

/**
 * The seaweedfs chart's refusals for a spec (chart defaults merged).
 * @internal
 */
export function seaweedfsProblems(spec: any, _ctx: RuleContext = {}): RuleProblem[] {
  const out: RuleProblem[] = [];
  const topology = spec.topology;
  const volume = spec.volume ?? {};
  const pools = (volume.pools ?? {}) as Record<string, any>;
  const zones = (volume.zones ?? {}) as Record<string, any>;
  if (!TOPOLOGIES.includes(topology)) out.push({ rule: R.topology.id, path: 'spec.topology', message: M.topology(topology) });
  if (topology === 'Client' && !truthy(spec.filer?.grpcHost)) out.push({ rule: R.topology.id, path: 'spec.filer.grpcHost', message: M.clientGrpcHost() });
  const factor = Math.trunc(Number(spec.replicationFactor ?? 0));
  if (!(factor >= 1)) out.push({ rule: R.replication.id, path: 'spec.replicationFactor', message: M.replicationMin(spec.replicationFactor) });
  if (topology === 'MultiZone') {
    const n = Object.keys(zones).length;
    if (n === 0) out.push({ rule: R.topology.id, path: 'spec.volume.zones', message: M.noZones() });
    else if (factor > n) out.push({ rule: R.replication.id, path: 'spec.replicationFactor', message: M.replicationZones(factor, n) });
  }
  if ((topology === 'Client' || topology === 'MultiZone') && Object.keys(pools).length > 0) {
    out.push({ rule: R['pools-topology'].id, path: 'spec.volume.pools', message: M.poolsTopology(topology) });
  }
  if (truthy(volume.diskType) && !DISK_TYPE.test(String(volume.diskType))) {
    out.push({ rule: R['disk-type'].id, path: 'spec.volume.diskType', message: M.diskType('volume.diskType', volume.diskType) });
  }
  const diskTypes = new Map<string, string>();
  for (const name of Object.keys(pools).sort()) {
    out.push(...poolProblems('volume.pools', `spec.volume.pools.${name}`, name, pools[name], volume.diskType));
    diskTypes.set(name, pools[name]?.diskType);
  }
  if (topology === 'MultiZone') {
    for (const zone of Object.keys(zones).sort()) {
      const zonePools = (zones[zone]?.pools ?? {}) as Record<string, any>;
      for (const name of Object.keys(zonePools).sort()) {
        const path = `spec.volume.zones.${zone}.pools.${name}`;
        out.push(...poolProblems(`volume.zones.${zone}.pools`, path, name, zonePools[name], volume.diskType));
        const dt = zonePools[name]?.diskType;
        const first = diskTypes.get(name);
        if (first !== undefined && first !== dt) out.push({ rule: R['disk-type'].id, path: `${path}.diskType`, message: M.diskTypeZones(name, first, String(dt), zone) });
        diskTypes.set(name, dt);
        if (`${zone}-${name}` in zones) {
          out.push({ rule: R['pool-name'].id, path, message: M.poolName(`volume.zones.${zone}.pools`, name, `makes the volume name "${zone}-${name}", which is also a zone's name`) });
        }
      }
    }
  }
  return out;
}
