/**
 * Updates of an app's spec that destroy data or can never apply (issue 13, fault 6),
 * as Cozystack v1.6.2's charts and the operators under them behave. Each rule compares
 * the spec before and after, with the chart's defaults merged as Helm merges them, and
 * returns what it finds with the reason. `plan` turns each finding into a destructive
 * change that needs `--allow-destroy`.
 */
import { chartData, helmMerge } from './charts';

/** What an update does that a plan must stop. */
export type UpdateEffect = 'drops-data' | 'never-applies';

/** One finding of a rule. */
export interface DestructiveUpdate {
  readonly rule: string;
  readonly effect: UpdateEffect;
  /** Where in `spec`, e.g. `databases.app`. */
  readonly path: string;
  /** What happens, in a sentence that names the values. */
  readonly reason: string;
  /** What goes with it, one item each. */
  readonly destroys: string[];
}

type Spec = Record<string, any>;
type Rule = (before: Spec, after: Spec) => DestructiveUpdate[];

function keys(x: unknown): string[] {
  return x && typeof x === 'object' && !Array.isArray(x) ? Object.keys(x) : [];
}

/** `v1.34` → [1, 34]; undefined for what is not a version. */
function minorVersion(v: unknown): [number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(String(v ?? ''));
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** A Kubernetes quantity in bytes, for comparing sizes; undefined when it is none. */
function bytes(q: unknown): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.exec(String(q ?? ''));
  if (!m) return undefined;
  const unit: Record<string, number> = {
    '': 1,
    'k': 1e3,
    'M': 1e6,
    'G': 1e9,
    'T': 1e12,
    'P': 1e15,
    'E': 1e18,
    'Ki': 2 ** 10,
    'Mi': 2 ** 20,
    'Gi': 2 ** 30,
    'Ti': 2 ** 40,
    'Pi': 2 ** 50,
    'Ei': 2 ** 60,
  };
  return Number(m[1]) * unit[m[2] ?? ''];
}

const RULES: Readonly<Record<string, readonly Rule[]>> = {
  'postgres': [
    // packages/apps/postgres/templates/init-script.yaml:61-84: the init job drops what the values no longer list.
    (b, a) => keys(b.databases).filter(d => !keys(a.databases).includes(d)).map(d => ({
      rule: 'postgres/database-removed',
      effect: 'drops-data' as const,
      path: `databases.${d}`,
      reason: `database "${d}" leaves spec.databases: the chart's init job runs DROP DATABASE "${d}" WITH (FORCE), disconnecting its clients.`,
      destroys: [`database ${d} and all its data`],
    })),
    (b, a) => keys(b.users).filter(u => !keys(a.users).includes(u)).map(u => ({
      rule: 'postgres/user-removed',
      effect: 'drops-data' as const,
      path: `users.${u}`,
      reason: `user "${u}" leaves spec.users: the chart's init job runs DROP OWNED BY and DROP USER "${u}", which drops every object the user owns.`,
      destroys: [`role ${u} and the objects it owns`],
    })),
  ],
  'kubernetes': [
    // The control plane refuses a downgrade and a skipped minor version; the HelmRelease retries forever.
    (b, a) => {
      const from = minorVersion(b.version);
      const to = minorVersion(a.version);
      if (!from || !to || (from[0] === to[0] && from[1] === to[1])) return [];
      const down = to[0] < from[0] || (to[0] === from[0] && to[1] < from[1]);
      const skip = to[0] === from[0] && to[1] - from[1] > 1;
      if (!down && !skip) return [];
      const next = `v${from[0]}.${from[1] + 1}`;
      return [{
        rule: down ? 'kubernetes/version-downgrade' : 'kubernetes/version-skip',
        effect: 'never-applies' as const,
        path: 'version',
        reason: down
          ? `version goes down from ${b.version} to ${a.version}: Kubernetes control planes cannot be downgraded, the upgrade is refused and the release retries forever. Keep ${b.version}.`
          : `version jumps from ${b.version} to ${a.version}, skipping a minor version: control planes upgrade one minor version at a time, the upgrade is refused and the release retries forever. Go to ${next} first.`,
        destroys: [],
      }];
    },
  ],
  'etcd': [
    // packages/system/etcd-operator-crds/templates/etcdclusters.yaml:1387-1390 and 1809-1816 (CEL rules).
    (b, a) => {
      const from = bytes(b.size);
      const to = bytes(a.size);
      return from !== undefined && to !== undefined && to < from ? [{
        rule: 'etcd/size-shrink',
        effect: 'never-applies' as const,
        path: 'size',
        reason: `size shrinks from ${b.size} to ${a.size}: the etcd operator refuses to shrink its volumes, so the update never applies.`,
        destroys: [],
      }] : [];
    },
    (b, a) => (b.storageClass ?? '') !== (a.storageClass ?? '') ? [{
      rule: 'etcd/storage-class',
      effect: 'never-applies' as const,
      path: 'storageClass',
      reason: `storageClass changes from "${b.storageClass ?? ''}" to "${a.storageClass ?? ''}": the etcd operator refuses adding, removing or changing it on a running cluster.`,
      destroys: [],
    }] : [],
  ],
  'seaweedfs': [
    // packages/extra/seaweedfs/templates/seaweedfs.yaml:79-93: the chart looks the running topology up and fails on a change.
    (b, a) => b.topology !== a.topology ? [{
      rule: 'seaweedfs/topology',
      effect: 'never-applies' as const,
      path: 'topology',
      reason: `topology changes from ${b.topology} to ${a.topology}: the chart refuses to change the topology of a running SeaweedFS.`,
      destroys: [],
    }] : [],
  ],
  'vm-disk': [
    // packages/apps/vm-disk/templates/dv.yaml:13-14: once the DataVolume exists its live spec is rendered again as it is.
    (b, a) => JSON.stringify(b) !== JSON.stringify(a) ? [{
      rule: 'vm-disk/frozen',
      effect: 'never-applies' as const,
      path: '',
      reason: 'the spec of an existing VM disk changes: the chart renders the running DataVolume as it is, so the change is silently ignored. Create a new disk instead.',
      destroys: [],
    }] : [],
  ],
};

/** The chart's defaults merged under a spec, as Helm sees it. */
function effective(release: string, chart: string, spec: Spec): Spec {
  try {
    return helmMerge(chartData(release, chart as never).values, spec) as Spec;
  } catch {
    return spec;
  }
}

/**
 * The destructive findings of an update of one app.
 * @param release the chart release (`charts/<release>`) of the bundle's Cozystack version
 * @param chart the app's chart
 */
export function destructiveUpdates(release: string, chart: string, before: Spec, after: Spec): DestructiveUpdate[] {
  const rules = RULES[chart];
  if (!rules) return [];
  const b = effective(release, chart, before ?? {});
  const a = effective(release, chart, after ?? {});
  return rules.flatMap(r => r(b, a));
}

/** The ids of every rule, for docs/chart-rules.md and its test. */
export const DESTRUCTIVE_UPDATE_RULES: readonly string[] = [
  'postgres/database-removed', 'postgres/user-removed', 'kubernetes/version-downgrade', 'kubernetes/version-skip',
  'etcd/size-shrink', 'etcd/storage-class', 'seaweedfs/topology', 'vm-disk/frozen',
];
