/**
 * A catalogue of bad inputs (issue 4). Each case is one mistake in an otherwise valid
 * platform; `app.synth()` must report exactly one message for it, naming the construct
 * path, the rule and the fix. A last test puts many mistakes into one program and
 * expects all of them in one run.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { Construct } from 'constructs';
import {
  CozystackVersion, EtcdService, IngressService, KubernetesCluster, MonitoringService, Postgres, RootTenant, Tenant,
} from '../src';

interface Case {
  /** What is wrong, as the catalogue lists it. */
  readonly name: string;
  /** Declares the mistake (and whatever else it needs) on a fresh platform. */
  readonly build: (root: RootTenant, app: App) => void;
  /** The construct path the message is reported at. */
  readonly path: string;
  /** A substring stating the rule. */
  readonly rule: string;
  /** A substring stating the fix. */
  readonly fix: string;
  /** The platform's host. */
  readonly rootHost?: string;
  readonly version?: CozystackVersion;
  /**
   * A library bug this case finds (see the report of issue 4): the case runs as
   * `test.failing` until the bug is fixed, then this field must go.
   */
  readonly knownBug?: string;
}

let outdir: string;
beforeEach(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalogue-'));
});
afterEach(() => {
  fs.rmSync(outdir, { recursive: true, force: true });
});

/** `[path] message` lines of the one Error `app.synth()` throws (none if it does not). */
function synthErrors(app: App): string[] {
  try {
    app.synth();
  } catch (e) {
    const text = (e as Error).message;
    expect(text).toMatch(/^Validation failed with the following errors:/);
    return text.split('\n').slice(1).map(l => l.trim()).filter(l => l.length > 0);
  }
  return [];
}

function platform(c: Pick<Case, 'rootHost' | 'version'> = {}): { app: App; root: RootTenant } {
  const app = new App({ outdir });
  const root = new RootTenant(app, 'platform', { host: c.rootHost ?? 'example.org', version: c.version });
  return { app, root };
}

/** A node group with every required field. */
const md0 = { minReplicas: 1, maxReplicas: 3, instanceType: 'u1.medium', diskSize: '20Gi' };

/** root with etcd, and tenant `foo`: where most apps go. */
function foo(root: RootTenant): Tenant {
  new EtcdService(root);
  return new Tenant(root, 'foo');
}

const BLOCKED = [
  'archive_command', 'restore_command', 'ssl_passphrase_command', 'archive_cleanup_command', 'recovery_end_command',
  'dynamic_library_path', 'local_preload_libraries', 'session_preload_libraries', 'shared_preload_libraries',
];

const NODE_GROUP_FIELDS: Array<[keyof typeof md0, string]> = [
  ['minReplicas', 'minReplicas: 0'], ['maxReplicas', 'maxReplicas: 10'], ['instanceType', 'instanceType: "u1.medium"'], ['diskSize', 'diskSize: "20Gi"'],
];

const CASES: Case[] = [
  // --- Names -------------------------------------------------------------------------
  {
    name: 'tenant name with a dash',
    build: root => new Tenant(root, 'foo-bar'),
    path: 'platform/foo-bar',
    rule: 'Cozystack tenant names match ^[a-z][a-z0-9]*$',
    fix: 'Rename it, e.g. "foobar"',
  },
  {
    name: 'tenant name with capitals',
    build: root => new Tenant(root, 'Foo'),
    path: 'platform/Foo',
    rule: 'Cozystack tenant names match ^[a-z][a-z0-9]*$',
    fix: 'Rename it, e.g. "foo"',
  },
  {
    name: 'tenant name with an underscore',
    build: root => new Tenant(root, 'foo_bar'),
    path: 'platform/foo_bar',
    rule: 'Cozystack tenant names match ^[a-z][a-z0-9]*$',
    fix: 'Rename it, e.g. "foobar"',
  },
  {
    name: 'tenant name starting with a digit',
    build: root => new Tenant(root, '1foo'),
    path: 'platform/1foo',
    rule: 'Cozystack tenant names match ^[a-z][a-z0-9]*$',
    fix: 'Rename it, e.g. "foo"',
  },
  {
    name: 'tenant name of 47 characters',
    build: root => new Tenant(root, 'a'.repeat(47)),
    path: `platform/${'a'.repeat(47)}`,
    rule: 'must fit a 53-character Helm release name, so names have at most 46',
    fix: 'Shorten it',
  },
  {
    name: 'tenant named root under the root',
    build: root => new Tenant(root, 'root'),
    path: 'platform/root',
    rule: '"root" is the platform\'s pre-existing tenant-root',
    fix: 'Use RootTenant for it, or pick another name',
  },
  {
    name: 'computed namespace of 64 characters (host still fits)',
    rootHost: 'a.io',
    build: (root) => {
      const a = new Tenant(root, 'a'.repeat(20));
      const b = new Tenant(a, 'b'.repeat(20));
      new Tenant(b, 'c'.repeat(15)); // tenant-aaa…-bbb…-ccc… = 64; ccc….bbb….aaa….a.io = 62
    },
    path: `platform/${'a'.repeat(20)}/${'b'.repeat(20)}/${'c'.repeat(15)}`,
    rule: 'Kubernetes namespaces have at most 63',
    fix: 'Shorten this tenant\'s or its ancestors\' names, or nest less deeply',
  },
  {
    name: 'derived tenant host longer than a label value (64 characters)',
    rootHost: 'platform.a-rather-long-subdomain.example.org', // 44 characters
    build: root => new Tenant(root, 'x'.repeat(19)), // 19 + 1 + 44 = 64
    path: `platform/${'x'.repeat(19)}`,
    rule: 'namespace label namespace.cozystack.io/host, whose values have at most 63 characters',
    fix: 'Set a shorter host on this tenant or an ancestor',
  },
  {
    name: 'derived host too long only two levels down',
    rootHost: 'platform.a-rather-long-subdomain.example.org',
    build: (root) => {
      const t = new Tenant(root, 'team'); // 49: fits
      new Tenant(t, 'y'.repeat(14)); // 14 + 1 + 49 = 64
    },
    path: `platform/team/${'y'.repeat(14)}`,
    rule: 'whose values have at most 63 characters',
    fix: 'Set a shorter host on this tenant or an ancestor',
  },
  {
    name: 'tenant host override that is no DNS name',
    build: root => new Tenant(root, 'foo', { host: 'foo_bar.example.org' }),
    path: 'platform/foo',
    rule: 'is not a valid DNS name',
    fix: 'Use a lowercase DNS name',
  },
  {
    name: 'tenant host override with an empty label',
    build: root => new Tenant(root, 'foo', { host: 'foo..example.org' }),
    path: 'platform/foo',
    rule: 'is not a valid DNS name',
    fix: 'Use a lowercase DNS name',
  },
  {
    name: 'tenant host override longer than a label value',
    build: root => new Tenant(root, 'foo', { host: `${'h'.repeat(61)}.io` }), // 64 characters
    path: 'platform/foo',
    rule: 'whose values have at most 63 characters',
    fix: 'Set a shorter host on this tenant or an ancestor',
  },
  {
    name: 'tenant host override with a port',
    build: root => new Tenant(root, 'foo', { host: 'foo.example.org:443' }),
    path: 'platform/foo',
    rule: 'Tenant host "foo.example.org:443" is not a valid DNS name',
    fix: 'Use a lowercase DNS name',
  },
  {
    name: 'platform host that is no DNS name',
    rootHost: 'Example.org',
    build: () => undefined,
    path: 'platform',
    rule: 'The platform host "Example.org" is not a valid DNS name',
    fix: 'Use a lowercase DNS name',
  },
  {
    name: 'platform host that is no DNS name, with a tenant deriving from it',
    rootHost: 'Example.org',
    build: root => new Tenant(root, 'foo'),
    path: 'platform',
    rule: 'The platform host "Example.org" is not a valid DNS name',
    fix: 'Use a lowercase DNS name',
  },
  {
    name: 'Kubernetes name with capitals',
    build: root => new KubernetesCluster(foo(root), 'Cluster1', { nodeGroups: { md0 } }),
    path: 'platform/foo/Cluster1',
    rule: 'Kubernetes names must be DNS-1035 labels of at most 42 characters',
    fix: 'Rename it, e.g. "cluster1"',
  },
  {
    name: 'Kubernetes name of 43 characters',
    build: root => new KubernetesCluster(foo(root), 'k'.repeat(43), { nodeGroups: { md0 } }),
    path: `platform/foo/${'k'.repeat(43)}`,
    rule: 'DNS-1035 labels of at most 42 characters',
    fix: `Rename it, e.g. "${'k'.repeat(42)}"`,
  },
  {
    name: 'Kubernetes name ending with a dash',
    build: root => new KubernetesCluster(foo(root), 'c1-', { nodeGroups: { md0 } }),
    path: 'platform/foo/c1-',
    rule: 'DNS-1035 labels of at most 42 characters',
    fix: 'Rename it, e.g. "c1"',
  },
  {
    name: 'Kubernetes API host that is no DNS name',
    build: root => new KubernetesCluster(foo(root), 'c1', { nodeGroups: { md0 }, host: 'api.-example.org' }),
    path: 'platform/foo/c1',
    rule: 'Kubernetes host "api.-example.org" is not a valid DNS name',
    fix: 'Use a lowercase DNS name',
  },
  {
    name: 'Postgres name with an underscore',
    build: root => new Postgres(new Tenant(root, 'foo'), 'db_1'),
    path: 'platform/foo/db_1',
    rule: 'Postgres names must be DNS-1035 labels of at most 44 characters',
    fix: 'Rename it, e.g. "db-1"',
  },
  {
    name: 'Postgres name starting with a digit',
    build: root => new Postgres(new Tenant(root, 'foo'), '1db'),
    path: 'platform/foo/1db',
    rule: 'DNS-1035 labels of at most 44 characters',
    fix: 'Rename it, e.g. "db"',
  },
  {
    name: 'Postgres name of 45 characters',
    build: root => new Postgres(new Tenant(root, 'foo'), 'p'.repeat(45)),
    path: `platform/foo/${'p'.repeat(45)}`,
    rule: 'DNS-1035 labels of at most 44 characters',
    fix: `Rename it, e.g. "${'p'.repeat(44)}"`,
  },

  // --- Duplicates --------------------------------------------------------------------
  {
    name: 'two Postgres of one name in one tenant, through helper constructs',
    build: (root) => {
      const t = new Tenant(root, 'foo');
      new Postgres(new Construct(t, 'TeamA'), 'db1');
      new Postgres(new Construct(t, 'TeamB'), 'db1');
    },
    path: 'platform',
    rule: 'Two Postgres objects are named "db1" in namespace tenant-foo (also declared at platform/foo/TeamA/db1, platform/foo/TeamB/db1)',
    fix: 'Give one of them another name',
  },
  {
    name: 'two Kubernetes clusters of one name in one tenant, through helper constructs',
    build: (root) => {
      const t = foo(root);
      new KubernetesCluster(new Construct(t, 'Blue'), 'prod', { nodeGroups: { md0 } });
      new KubernetesCluster(new Construct(t, 'Green'), 'prod', { nodeGroups: { md0 } });
    },
    path: 'platform',
    rule: 'Two Kubernetes objects are named "prod" in namespace tenant-foo (also declared at platform/foo/Blue/prod, platform/foo/Green/prod)',
    fix: 'Give one of them another name',
  },
  {
    name: 'two tenants of one name under one parent, through helper constructs',
    build: (root) => {
      new Tenant(new Construct(root, 'Sales'), 'shop');
      new Tenant(new Construct(root, 'Ops'), 'shop');
    },
    path: 'platform',
    rule: 'Two Tenant objects are named "shop" in namespace tenant-root',
    fix: 'Give one of them another name',
  },
  ...([
    ['EtcdService', 'an EtcdService', (s: Construct) => new EtcdService(s)],
    ['IngressService', 'an IngressService', (s: Construct) => new IngressService(s)],
    ['MonitoringService', 'a MonitoringService', (s: Construct) => new MonitoringService(s)],
  ] as Array<[string, string, (s: Construct) => void]>).map(([kind, article, make]): Case => ({
    name: `two ${kind}s on one tenant`,
    build: (root) => {
      const t = new Tenant(root, 'foo');
      make(t);
      make(t);
    },
    path: `platform/foo/${kind}-2`,
    rule: `Tenant tenant-foo already has ${article} (declared at platform/foo/${kind})`,
    fix: 'Remove this one, or move its settings to the first',
  })),
  {
    name: 'two tuned EtcdServices on one tenant',
    build: (root) => {
      const t = new Tenant(root, 'foo');
      new EtcdService(t, { replicas: 3 });
      new EtcdService(t, { replicas: 5 });
    },
    path: 'platform/foo/EtcdService-2',
    rule: 'Tenant tenant-foo already has an EtcdService',
    fix: 'Remove this one, or move its settings to the first',
  },
  {
    name: 'two EtcdServices on the root',
    build: (root) => {
      new EtcdService(root);
      new EtcdService(root);
    },
    path: 'platform/EtcdService-2',
    rule: 'Tenant tenant-root already has an EtcdService',
    fix: 'Remove this one',
  },

  // --- Missing providers ------------------------------------------------------------------
  {
    name: 'Kubernetes at the root, which does not run etcd',
    build: root => new KubernetesCluster(root, 'c1', { nodeGroups: { md0 } }),
    path: 'platform/c1',
    rule: 'keeps its control-plane data in the etcd of tenant-root, the nearest tenant providing etcd to tenant-root, but tenant-root does not run etcd',
    fix: 'Add an EtcdService to the RootTenant',
  },
  {
    name: 'Kubernetes three levels down, no etcd anywhere (ingress and monitoring on)',
    build: (root) => {
      new IngressService(root);
      new MonitoringService(root);
      const c = new Tenant(new Tenant(new Tenant(root, 'a'), 'b'), 'c');
      new KubernetesCluster(c, 'c1', { nodeGroups: { md0 } });
    },
    path: 'platform/a/b/c/c1',
    rule: 'the nearest tenant providing etcd to tenant-a-b-c, but tenant-root does not run etcd',
    fix: 'Add an EtcdService to the RootTenant (or to tenant-a-b-c or a tenant in between)',
  },
  {
    name: 'Kubernetes whose sibling tenant runs etcd (siblings do not provide)',
    build: (root) => {
      new EtcdService(new Tenant(root, 'left'));
      new KubernetesCluster(new Tenant(root, 'right'), 'c1', { nodeGroups: { md0 } });
    },
    path: 'platform/right/c1',
    rule: 'tenant-root does not run etcd',
    fix: 'Add an EtcdService to the RootTenant',
  },
  {
    name: 'Kubernetes whose child tenant runs etcd (descendants do not provide)',
    build: (root) => {
      const t = new Tenant(root, 'foo');
      new EtcdService(new Tenant(t, 'bar'));
      new KubernetesCluster(t, 'c1', { nodeGroups: { md0 } });
    },
    path: 'platform/foo/c1',
    rule: 'the nearest tenant providing etcd to tenant-foo, but tenant-root does not run etcd',
    fix: 'Add an EtcdService to the RootTenant (or to tenant-foo or a tenant in between)',
  },

  // --- Node groups --------------------------------------------------------------------------
  ...NODE_GROUP_FIELDS.map(([field, example]): Case => ({
    name: `node group without ${field}`,
    build: (root) => {
      const { [field]: _left, ...group } = md0;
      new KubernetesCluster(foo(root), 'c1', { nodeGroups: { md0: group as any } });
    },
    path: 'platform/foo/c1',
    rule: `Node group "md0" is missing ${field}: Cozystack applies no defaults to node group entries`,
    fix: `Add ${field}, e.g. ${example}`,
  })),

  // --- Postgres -----------------------------------------------------------------------------
  {
    name: 'Postgres user named postgres',
    build: root => new Postgres(new Tenant(root, 'foo'), 'db1', { users: { postgres: {} } }),
    path: 'platform/foo/db1',
    rule: 'Postgres user "postgres" is reserved for the superuser',
    fix: 'Rename the user',
  },
  ...BLOCKED.map((param): Case => ({
    name: `Postgres parameter ${param}`,
    build: root => new Postgres(new Tenant(root, 'foo'), 'db1', { postgresql: { parameters: { [param]: '/bin/true' } } } as any),
    path: 'platform/foo/db1',
    rule: `postgresql.parameters.${param} is blocked by Cozystack's postgres chart`,
    fix: 'Remove it',
  })),

  // --- Reserved keys ------------------------------------------------------------------------
  {
    name: 'Postgres spec key _cluster',
    build: root => new Postgres(new Tenant(root, 'foo'), 'db1', { _cluster: { name: 'x' } } as any),
    path: 'platform/foo/db1',
    rule: 'Spec key "_cluster" starts with "_": Cozystack reserves such keys',
    fix: 'Remove it',
  },
  {
    name: 'Kubernetes spec key _namespace',
    build: root => new KubernetesCluster(foo(root), 'c1', { nodeGroups: { md0 }, _namespace: { etcd: 'tenant-x' } } as any),
    path: 'platform/foo/c1',
    rule: 'Spec key "_namespace" starts with "_"',
    fix: 'Remove it',
  },
  {
    name: 'Etcd tuning key _custom',
    build: root => new EtcdService(new Tenant(root, 'foo'), { _custom: true } as any),
    path: 'platform/foo/EtcdService',
    rule: 'Spec key "_custom" starts with "_"',
    fix: 'Remove it',
  },

  // --- Types and values through the chart schemas ---------------------------------------------
  {
    name: 'Kubernetes version outside the enum',
    build: root => new KubernetesCluster(foo(root), 'c1', { nodeGroups: { md0 }, version: 'v1.20' } as any),
    path: 'platform/foo/c1',
    rule: 'spec.version must be one of "v1.35"',
    // Issue 13, fault 7: the example is the allowed value closest to what was written ("v1.20").
    fix: 'Pick one of the allowed values, e.g. "v1.31", the closest to "v1.20"',
  },
  {
    name: 'Postgres version outside the enum',
    build: root => new Postgres(new Tenant(root, 'foo'), 'db1', { version: 'v12' } as any),
    path: 'platform/foo/db1',
    rule: 'spec.version must be one of "v18"',
    // Issue 13, fault 7: the example is the allowed value closest to what was written ("v12").
    fix: 'Pick one of the allowed values, e.g. "v13", the closest to "v12"',
  },
  {
    name: 'Postgres resourcesPreset outside the enum',
    build: root => new Postgres(new Tenant(root, 'foo'), 'db1', { resourcesPreset: 'huge' } as any),
    path: 'platform/foo/db1',
    rule: 'spec.resourcesPreset must be one of "t1.nano"',
    fix: 'Pick one of the allowed values, e.g. "t1.nano"',
  },
  {
    name: 'Ingress resourcesPreset outside the enum',
    build: root => new IngressService(new Tenant(root, 'foo'), { resourcesPreset: 'x9.giant' } as any),
    path: 'platform/foo/IngressService',
    rule: 'spec.resourcesPreset must be one of',
    fix: 'Pick one of the allowed values',
  },
  {
    name: 'Postgres replicas as a string',
    build: root => new Postgres(new Tenant(root, 'foo'), 'db1', { replicas: '2' } as any),
    path: 'platform/foo/db1',
    rule: 'spec.replicas must be an integer',
    fix: 'Change the value to a whole number',
  },
  {
    name: 'Etcd replicas as a word',
    build: root => new EtcdService(new Tenant(root, 'foo'), { replicas: 'three' } as any),
    path: 'platform/foo/EtcdService',
    rule: 'spec.replicas must be an integer',
    fix: 'Change the value to a whole number',
  },
  {
    name: 'Postgres external as the string "yes"',
    build: root => new Postgres(new Tenant(root, 'foo'), 'db1', { external: 'yes' } as any),
    path: 'platform/foo/db1',
    rule: 'spec.external must be of type boolean',
    fix: 'Change the value to a boolean',
  },
  {
    name: 'Postgres size that is no quantity',
    build: root => new Postgres(new Tenant(root, 'foo'), 'db1', { size: '10GB' } as any),
    path: 'platform/foo/db1',
    rule: 'spec.size does not match',
    fix: 'Write a Kubernetes quantity such as "10Gi"',
  },
  {
    name: 'tenant quota that is no quantity',
    build: root => new Tenant(root, 'foo', { resourceQuotas: { cpu: 'lots' } }),
    path: 'platform/foo',
    rule: 'spec.resourceQuotas.cpu does not match',
    fix: 'Write a Kubernetes quantity',
  },
  {
    name: 'node group minReplicas as a string',
    build: root => new KubernetesCluster(foo(root), 'c1', { nodeGroups: { md0: { ...md0, minReplicas: '1' } } } as any),
    path: 'platform/foo/c1',
    rule: 'spec.nodeGroups.md0.minReplicas must be an integer',
    fix: 'Change the value to a whole number',
  },
  {
    name: 'node group diskSize that is no quantity',
    build: root => new KubernetesCluster(foo(root), 'c1', { nodeGroups: { md0: { ...md0, diskSize: '20 GB' } } } as any),
    path: 'platform/foo/c1',
    rule: 'spec.nodeGroups.md0.diskSize does not match',
    fix: 'Write a Kubernetes quantity',
  },
  {
    name: 'monitoring storage without retentionPeriod',
    build: root => new MonitoringService(new Tenant(root, 'foo'), {
      metricsStorages: [{ name: 'shortterm', deduplicationInterval: '15s', storage: '10Gi' }],
    } as any),
    path: 'platform/foo/MonitoringService',
    rule: 'spec.metricsStorages.0.retentionPeriod is required',
    fix: 'Set retentionPeriod',
  },

  {
    name: 'Postgres field misspelt (replica for replicas)',
    build: root => new Postgres(new Tenant(root, 'foo'), 'db1', { replica: 2 } as any),
    path: 'platform/foo/db1',
    rule: 'spec.replica is not a field of Cozystack\'s postgres chart',
    fix: 'Remove it or check its spelling',
  },
  {
    name: 'node group with resources.cpu but no resources.memory',
    build: root => new KubernetesCluster(foo(root), 'c1', { nodeGroups: { md0: { ...md0, resources: { cpu: '2' } } } } as any),
    path: 'platform/foo/c1',
    rule: 'sets only one of resources.cpu and resources.memory',
    fix: 'Set resources.memory too, or neither',
  },
  {
    name: 'ingress with both cloudflareProxy and proxyProtocol',
    build: root => new IngressService(new Tenant(root, 'foo'), { cloudflareProxy: true, proxyProtocol: true }),
    path: 'platform/foo/IngressService',
    rule: 'cloudflareProxy and proxyProtocol are mutually exclusive',
    fix: 'Keep the one that matches what sits in front of the ingress',
  },

  // --- Secrets ----------------------------------------------------------------------------------
  {
    name: 'Postgres user with a plaintext password',
    build: root => new Postgres(new Tenant(root, 'foo'), 'db1', { users: { app: { password: 'hunter2' } } }),
    path: 'platform/foo/db1',
    rule: 'Postgres user "app" has an explicit password: it would be stored in plain text',
    fix: 'or set allowPlaintextSecrets: true',
  },
  {
    name: 'Postgres backup with a plaintext S3 key',
    build: root => new Postgres(new Tenant(root, 'foo'), 'db1', { backup: { enabled: true, s3SecretKey: 'secret' } } as any),
    path: 'platform/foo/db1',
    rule: 'backup.s3SecretKey puts an S3 credential in plain text',
    fix: 'Reference a Secret instead',
  },

  // --- Versions ---------------------------------------------------------------------------------
  {
    name: 'tenant isolated on v1.6 (a v0.41 field)',
    build: root => new Tenant(root, 'foo', { isolated: true }),
    path: 'platform/foo',
    rule: 'spec.isolated no longer exists in Cozystack v1.6',
    fix: 'Remove it',
  },
  {
    name: 'tenant gateway on v1.4 (exists from v1.5)',
    version: CozystackVersion.V1_4,
    build: root => new Tenant(root, 'foo', { gateway: true }),
    path: 'platform/foo',
    rule: 'spec.gateway is not available in Cozystack v1.4: it exists from v1.5',
    fix: 'set the RootTenant\'s version to v1.5 or newer',
  },
  {
    name: 'tenant schedulingClass on v1.0 (exists from v1.2)',
    version: CozystackVersion.V1_0,
    build: root => new Tenant(root, 'foo', { schedulingClass: 'gold' }),
    path: 'platform/foo',
    rule: 'spec.schedulingClass is not available in Cozystack v1.0: it exists from v1.2',
    fix: 'set the RootTenant\'s version to v1.2 or newer',
  },
  {
    name: 'tenant gateway on v0.41',
    version: CozystackVersion.V0_41,
    build: root => new Tenant(root, 'foo', { gateway: true }),
    path: 'platform/foo',
    rule: 'spec.gateway is not available in Cozystack v0.41',
    fix: 'Remove it',
  },
  {
    name: 'node group ephemeralStorage on v1.6 (a v0.41 field)',
    build: root => new KubernetesCluster(foo(root), 'c1', { nodeGroups: { md0: { ...md0, ephemeralStorage: '20Gi' } } } as any),
    path: 'platform/foo/c1',
    rule: 'spec.nodeGroups.md0.ephemeralStorage no longer exists in Cozystack v1.6',
    fix: 'use diskSize',
  },
  {
    name: 'sized preset on v0.41 (only the legacy names exist)',
    version: CozystackVersion.V0_41,
    build: root => new Postgres(new Tenant(root, 'foo'), 'db1', { resourcesPreset: 'u1.small' } as any),
    path: 'platform/foo/db1',
    rule: 'spec.resourcesPreset must be one of "nano"',
    fix: 'Pick one of the allowed values',
  },

  // --- The platform -----------------------------------------------------------------------------
  {
    name: 'two RootTenants in one App',
    build: (_root, app) => new RootTenant(app, 'second', { host: 'other.example.org' }),
    path: 'second',
    rule: 'This App already has a RootTenant (platform): one App describes one management cluster',
    fix: 'Use a separate App, with its own outdir, per platform',
  },
];

describe('catalogue of bad input: each mistake yields exactly one message with path, rule and fix', () => {
  test('the catalogue has at least 40 distinct cases', () => {
    expect(new Set(CASES.map(c => c.name)).size).toBe(CASES.length);
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  const check = (c: Case) => {
    const { app, root } = platform(c);
    c.build(root, app);
    const errors = synthErrors(app);
    expect(errors).toHaveLength(1);
    const [line] = errors;
    expect(line.startsWith(`[${c.path}] `)).toBe(true);
    expect(line).toContain(c.rule);
    expect(line).toContain(c.fix);
    // Nothing was written.
    expect(fs.readdirSync(outdir)).toEqual([]);
  };
  test.each(CASES.filter(c => !c.knownBug).map(c => [c.name, c] as const))('%s', (_name, c) => check(c));
  // Library bugs found by the catalogue; each fails today (so test.failing passes) until fixed.
  test.failing.each(CASES.filter(c => c.knownBug).map(c => [`${c.name} (known bug: ${c.knownBug})`, c] as const))('%s', (_name, c) => check(c));

  test('each case is a mistake: the same platform without it synthesizes', () => {
    // The shared scaffolding (root with etcd, tenant foo, node group md0) is valid on its own.
    const { app, root } = platform();
    new KubernetesCluster(foo(root), 'c1', { nodeGroups: { md0 } });
    new Postgres(root.node.findChild('foo') as Construct, 'db1', { users: { app: {} } });
    expect(synthErrors(app)).toEqual([]);
  });
});

describe('all problems of a program are reported in one run', () => {
  test('twelve mistakes across the tree give twelve messages', () => {
    const { app, root } = platform();
    new IngressService(root);
    const bad = new Tenant(root, 'bad-name');
    const t = new Tenant(root, 'foo', { resourceQuotas: { memory: 'plenty' } });
    new EtcdService(t);
    new EtcdService(t);
    new KubernetesCluster(root, 'rootcluster', { nodeGroups: { md0 } });
    new KubernetesCluster(t, 'c1', { nodeGroups: { md0: { minReplicas: 1, maxReplicas: 2, instanceType: 'u1.medium' } }, version: 'v1.0' } as any);
    new Postgres(t, 'db1', { users: { postgres: {} }, postgresql: { parameters: { archive_command: 'x' } }, replicas: '3' } as any);
    new Postgres(new Tenant(bad, 'deep'), 'DB');
    new Tenant(root, 'h', { host: 'no_underscores.example.org' });
    new RootTenant(app, 'second', { host: 'example.net' });

    const errors = synthErrors(app);
    const expected: Array<[string, string]> = [
      ['platform/bad-name', 'Cozystack tenant names match'],
      ['platform/foo', 'spec.resourceQuotas.memory does not match'],
      ['platform/foo/EtcdService-2', 'already has an EtcdService'],
      ['platform/rootcluster', 'tenant-root does not run etcd'],
      ['platform/foo/c1', 'Node group "md0" is missing diskSize'],
      ['platform/foo/c1', 'spec.version must be one of'],
      ['platform/foo/db1', 'Postgres user "postgres" is reserved'],
      ['platform/foo/db1', 'postgresql.parameters.archive_command is blocked'],
      ['platform/foo/db1', 'spec.replicas must be an integer'],
      ['platform/bad-name/deep/DB', 'Postgres names must be DNS-1035 labels'],
      ['platform/h', 'is not a valid DNS name'],
      ['second', 'This App already has a RootTenant'],
    ];
    for (const [p, text] of expected) {
      expect(errors.filter(e => e.startsWith(`[${p}] `) && e.includes(text))).toHaveLength(1);
    }
    expect(errors).toHaveLength(expected.length);
  });
});
