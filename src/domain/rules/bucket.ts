/**
 * The bucket chart's trap (templates/bucketclaim.yaml, Cozystack v1.6.2): a storagePool names
 * the BucketClass `<seaweedfs namespace>-<pool>`, which the seaweedfs chart of the tenant's
 * SeaweedFS provider creates only for the pools its spec declares.
 */
import { closest, defineRules, orList, RuleProblem, truthy } from './common';

/** @internal */
export const BUCKET_RULES = defineRules('bucket', {
  'storage-pool': 'storagePool names a pool of the SeaweedFS the tenant inherits (else the BucketClaim waits for a class nobody creates)',
});

/** The SeaweedFS a bucket's tenant inherits, as far as the program declares it. @internal */
export interface SeaweedfsProvider {
  readonly namespace: string;
  /** The pools its spec declares (volume.pools and zones.*.pools); undefined when only the cluster knows. */
  readonly pools?: readonly string[];
}

/** The pools a seaweedfs spec (chart defaults merged) declares, as storage-pool-bucket-classes.yaml collects them. @internal */
export function seaweedfsPools(spec: any): string[] {
  if (spec?.topology === 'Client') return [];
  const pools = new Set(Object.keys(spec?.volume?.pools ?? {}));
  if (spec?.topology === 'MultiZone') {
    for (const zone of Object.values<any>(spec?.volume?.zones ?? {})) Object.keys(zone?.pools ?? {}).forEach(p => pools.add(p));
  }
  return [...pools].sort();
}

/** @internal */
export function bucketPoolProblems(spec: any, provider: SeaweedfsProvider): RuleProblem[] {
  const pool = spec?.storagePool;
  if (!truthy(pool) || provider.pools === undefined || provider.pools.includes(pool)) return [];
  const near = closest(String(pool), provider.pools);
  const known = provider.pools.length === 0 ? 'declares no pools' : `declares the pools ${orList(provider.pools.map(p => `"${p}"`))}`;
  return [{
    rule: BUCKET_RULES['storage-pool'].id,
    path: 'spec.storagePool',
    message: `storagePool is "${pool}", but the SeaweedFS of ${provider.namespace}, which this tenant's buckets use, ${known}: `
      + `the BucketClaim would wait forever for the bucket class "${provider.namespace}-${pool}". `
      + (near ? `Use "${near}".` : `Add volume.pools.${pool} to that SeaweedFSService, or leave storagePool out.`),
  }];
}
