/**
 * The catalogue's app constructs (issue 12): a name apart from the construct id, one
 * construct per ApplicationDefinition, credentials and endpoints from the registry,
 * the needs rule, version profiles and deprecated fields.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import {
  BootBoxService, Bucket, ClickHouse, ClusterService, CozystackAppBase, CozystackVersion, GatewayService, EtcdService,
  ExternalDNS, FoundationDB, Harbor, HTTPCache, IngressService, Kafka,
  KubernetesCluster, KubernetesNodes, MariaDB, MongoDB, MonitoringService, Nats, OpenBAO, OpenSearch, Postgres, Qdrant, RabbitMQ, Redis, RootTenant,
  SeaweedFSService, TCPBalancer, Tenant, VirtualPrivateCloud, VMDisk, VMInstance, Vpn,
} from '../src';
import * as lib from '../src';
import { synthProblems, tempApp } from './support/synth';
import { readTopologyFile } from './support/topology';
import { buildCatalogue } from '../examples/catalogue';
import { CONSTRUCT_OF_KIND, withTable } from '../scripts/kinds-table';
import { deriveNames, REGISTRY } from '../src/domain/registry';

function platform(): { root: RootTenant; app: ReturnType<typeof tempApp> } {
  const app = tempApp();
  const root = new RootTenant(app, 'platform', { host: 'example.org' });
  return { root, app };
}

test('a Tenant k5 and a Kubernetes named k5 live side by side in one tenant (name apart from id)', () => {
  const { root, app } = platform();
  new EtcdService(root);
  const foo = new Tenant(root, 'foo');
  new Tenant(foo, 'k5');
  const cluster = new KubernetesCluster(foo, 'k5-cluster', { name: 'k5' });
  expect(cluster.name).toBe('k5');
  expect(cluster.node.id).toBe('k5-cluster');
  expect(cluster.adminKubeconfigSecretName).toBe('kubernetes-k5-admin-kubeconfig');
  expect(cluster.host).toBe('kubernetes-k5.foo.example.org');
  expect(synthProblems(app)).toEqual([]);
  const objects = Testing.synth(root);
  const names = objects.filter(o => o.metadata.namespace === 'tenant-foo').map(o => `${o.kind}/${o.metadata.name}`).sort();
  expect(names).toEqual(['Kubernetes/k5', 'Tenant/k5']);
  const k = objects.find(o => o.kind === 'Kubernetes');
  expect(k.spec.name).toBeUndefined();
});

test('the name limit comes from the registry: len(prefix + name) <= 53', () => {
  const { root, app } = platform();
  new EtcdService(root);
  new KubernetesCluster(root, 'ok', { name: 'a'.repeat(42) });
  new KubernetesCluster(root, 'long', { name: 'a'.repeat(43) });
  const problems = synthProblems(app);
  expect(problems).toEqual([{ path: 'platform/long', message: expect.stringContaining('at most 42 characters') }]);
});

/** One small app of every catalogue kind, by kind. */
function everyKind(t: Tenant, cluster: KubernetesCluster): Record<string, CozystackAppBase> {
  const disk = new VMDisk(t, 'disk', { source: { http: { url: 'https://example.org/disk.img' } } });
  return {
    Bucket: new Bucket(t, 'bucket', { users: { app: {} } }),
    ClickHouse: new ClickHouse(t, 'clickhouse', { users: { app: {} } }),
    ExternalDNS: new ExternalDNS(t, 'dns', { provider: 'cloudflare' }),
    FoundationDB: new FoundationDB(t, 'fdb'),
    Harbor: new Harbor(t, 'harbor'),
    HTTPCache: new HTTPCache(t, 'cache', { endpoints: ['10.0.0.1:80'] }),
    Kafka: new Kafka(t, 'kafka'),
    KubernetesNodes: new KubernetesNodes(t, 'gpu', { kubernetesCluster: cluster }),
    MariaDB: new MariaDB(t, 'mariadb', { users: { app: { maxUserConnections: 100, password: 'change-me' } } }),
    MongoDB: new MongoDB(t, 'mongodb', { users: { app: {} }, databases: { app: { roles: { admin: ['app'] } } } }),
    NATS: new Nats(t, 'nats', { users: { app: {} } }),
    OpenBAO: new OpenBAO(t, 'bao'),
    OpenSearch: new OpenSearch(t, 'search'),
    Qdrant: new Qdrant(t, 'qdrant'),
    RabbitMQ: new RabbitMQ(t, 'rabbit', { users: { app: {} } }),
    Redis: new Redis(t, 'redis'),
    TCPBalancer: new TCPBalancer(t, 'tcp'),
    VMDisk: disk,
    VMInstance: new VMInstance(t, 'vm', { instanceType: 'u1.medium', attachedDisks: [{ disk }] }),
    VPN: new Vpn(t, 'vpn', { users: { alice: {} } }),
    VirtualPrivateCloud: new VirtualPrivateCloud(t, 'vpc'),
  };
}

describe('the 21 catalogue constructs', () => {
  const { root, app } = platform();
  new EtcdService(root);
  new IngressService(root);
  new SeaweedFSService(root);
  const t = new Tenant(root, 'acme');
  const cluster = new KubernetesCluster(t, 'k8s');
  const apps = everyKind(t, cluster);

  test('each is its kind, synthesizes without problems, and its spec holds no library prop', () => {
    expect(synthProblems(app)).toEqual([]);
    const objects = Testing.synth(root);
    for (const [kind, a] of Object.entries(apps)) {
      expect(a.kind).toBe(kind);
      const o = objects.find(x => x.kind === kind && x.metadata.name === a.name);
      expect({ kind, found: !!o }).toEqual({ kind, found: true });
      expect({ kind, keys: Object.keys(o.spec).filter(k => ['name', 'kubernetesCluster', 'attachedDisks'].includes(k)) }).toEqual({ kind, keys: [] });
    }
  });

  test('credentials and endpoints are the registry\'s names for the object', () => {
    for (const [kind, a] of Object.entries(apps)) {
      const d = deriveNames(REGISTRY.get(kind), a.name, a.namespace, a.host || undefined, (a as any)._credentialUsers());
      expect(a.credentials.map(c => c.secretName)).toEqual(d.credentials.map(c => c.secret));
      expect(a.endpoints.map(e => e.name)).toEqual(d.endpoints.map(e => e.name));
    }
    const r = apps.Redis as Redis;
    expect([r.authSecretName, r.authPasswordKey, r.masterHost]).toEqual(['redis-redis-auth', 'password', 'rfrm-redis-redis.tenant-acme.svc']);
    const b = apps.Bucket as Bucket;
    expect(b.userCredentialsSecretName('app')).toBe('bucket-bucket-app-credentials');
    expect(b.credentials).toEqual([{ secretName: 'bucket-bucket-app-credentials', keys: ['accessKey', 'secretKey', 'endpoint', 'bucketName'], description: expect.any(String) }]);
    expect(b.host).toBe('bucket-bucket.acme.example.org');
    expect((apps.Harbor as Harbor).credentialsSecretName).toBe('harbor-harbor-credentials');
    expect((apps.MariaDB as MariaDB).credentials[0].keys).toEqual(['app', 'root']);
    expect((apps.VPN as Vpn).host).toBe('vpn-vpn.acme.example.org');
    expect((apps.Kafka as Kafka).host).toBe('');
  });

  test('references are written as the names the charts expect', () => {
    const objects = Testing.synth(root);
    const nodes = objects.find(o => o.kind === 'KubernetesNodes');
    expect([nodes.metadata.name, nodes.spec.cluster]).toEqual(['k8s-gpu', 'k8s']);
    expect((apps.KubernetesNodes as KubernetesNodes).poolName).toBe('gpu');
    expect(objects.find(o => o.kind === 'VMInstance').spec.disks).toEqual([{ name: 'disk' }]);
  });
});

const MACHINES = { machines: [{ hostname: 'node1', arch: 'amd64', uefi: true, leaseTime: 86400, ip: { address: '10.0.0.10', netmask: '255.255.255.0', gateway: '10.0.0.1' }, mac: ['00:11:22:33:44:55'] }] };

describe('modules', () => {
  test('SeaweedFSService sets the seaweedfs flag and tunes the SeaweedFS object; TenantProps.seaweedfs still works', () => {
    const { root, app } = platform();
    const a = new Tenant(root, 'a');
    new SeaweedFSService(a, { volume: { replicas: 3 } });
    const b = new Tenant(root, 'b', { seaweedfs: true });
    const c = new Tenant(b, 'c');
    expect(synthProblems(app)).toEqual([]);
    const objects = Testing.synth(root);
    expect(objects.find(o => o.kind === 'Tenant' && o.metadata.name === 'a').spec.seaweedfs).toBe(true);
    expect(objects.find(o => o.kind === 'SeaweedFS')).toMatchObject({ metadata: { name: 'seaweedfs', namespace: 'tenant-a' }, spec: { volume: { replicas: 3 } } });
    expect(c.seaweedfsProvider.namespace).toBe('tenant-b');
  });

  test('GatewayService: true owns a gateway; absent and false both route through the nearest owner', () => {
    const { root, app } = platform();
    new GatewayService(root);
    const a = new Tenant(root, 'a');
    new GatewayService(a);
    const b = new Tenant(a, 'b', { gateway: false });
    const c = new Tenant(root, 'c');
    const d = new Tenant(root, 'd', { gateway: true });
    expect(synthProblems(app)).toEqual([]);
    const spec = (name: string) => Testing.synth(root).find(o => o.kind === 'Tenant' && o.metadata.name === name).spec;
    expect([spec('a').gateway, spec('b').gateway, spec('c').gateway, spec('d').gateway]).toEqual([true, false, undefined, true]);
    expect([b, c, d].map(t => t.providerOf(ClusterService.GATEWAY).namespace)).toEqual(['tenant-a', 'tenant-root', 'tenant-d']);
    // The root's gateway is the platform's: nothing is written for it.
    expect(Testing.synth(root).filter(o => o.metadata.namespace === 'tenant-root' && o.metadata.name === 'root')).toEqual([]);
  });

  test('GatewayService is refused before Cozystack v1.5', () => {
    const app = tempApp();
    const root = new RootTenant(app, 'platform', { host: 'example.org', version: CozystackVersion.V1_4 });
    new GatewayService(root);
    expect(synthProblems(app)).toEqual([{ path: 'platform/GatewayService', message: expect.stringContaining('exists from v1.5') }]);
  });

  test('BootBoxService is the root\'s only', () => {
    const { root, app } = platform();
    new BootBoxService(root, MACHINES);
    const t = new Tenant(root, 'a');
    new BootBoxService(t);
    expect(synthProblems(app)).toEqual([{ path: 'platform/a/BootBoxService', message: expect.stringContaining('module of the root tenant only') }]);
  });

  test('BootBoxService emits BootBox bootbox in tenant-root', () => {
    const { root, app } = platform();
    new BootBoxService(root, MACHINES);
    expect(synthProblems(app)).toEqual([]);
    expect(Testing.synth(root).find(o => o.kind === 'BootBox')).toMatchObject({ metadata: { name: 'bootbox', namespace: 'tenant-root' } });
  });

  test('every tenant has the Info module: its kubeconfig Secrets come from the registry', () => {
    const { root } = platform();
    const foo = new Tenant(root, 'foo');
    const bar = new Tenant(foo, 'bar');
    expect([root.kubeconfigSecretName, root.kubeconfigSecretKey, root.serviceAccountTokenSecretName]).toEqual(['kubeconfig-tenant-root', 'kubeconfig', 'tenant-root']);
    expect([bar.kubeconfigSecretName, bar.serviceAccountTokenSecretName]).toEqual(['kubeconfig-tenant-foo-bar', 'tenant-foo-bar']);
  });
});

describe('inheritance: what an app needs from its providers (one rule, read from the registry)', () => {
  const warningsOf = (root: RootTenant) => root.synthBundle().warnings;

  test('a Bucket or a Harbor whose seaweedfs provider runs no SeaweedFS is refused (it can never work)', () => {
    const { root, app } = platform();
    const t = new Tenant(root, 'acme');
    new Bucket(t, 'assets');
    new Harbor(t, 'registry');
    expect(synthProblems(app)).toEqual([
      {
        path: 'platform/acme/assets',
        message: 'Bucket "assets" stores its objects in the SeaweedFS of tenant-root, the nearest tenant providing seaweedfs to tenant-acme, but tenant-root does not run seaweedfs: '
          + 'the BucketClaim names a BucketClass nobody serves, so the bucket and its credentials are never created. Add a SeaweedFSService to the RootTenant (or to tenant-acme or a tenant in between).',
      },
      { path: 'platform/acme/registry', message: expect.stringContaining('Harbor "registry" stores its registry in a bucket of the SeaweedFS of tenant-root') },
    ]);
  });

  test('the seaweedfs provider is the nearest tenant running it; an ingress missing is a warning, a gateway serves as well', () => {
    const { root, app } = platform();
    const t = new Tenant(root, 'acme', { seaweedfs: true });
    const child = new Tenant(t, 'web');
    new Bucket(child, 'assets');
    expect(synthProblems(app)).toEqual([]);
    expect(warningsOf(root)).toEqual([expect.stringMatching(/^\[platform\/acme\/web\/assets\] Bucket "assets" publishes its web console through the ingress of tenant-root.*\(a GatewayService serves it as well\)\.$/)]);
    new GatewayService(root);
    expect(warningsOf(root)).toEqual([]);
  });

  test('a Kubernetes cluster whose ingress provider runs no ingress: its API host and the hosts of addIngress are never served (warnings)', () => {
    const { root, app } = platform();
    new EtcdService(root);
    const t = new Tenant(root, 'acme');
    const k = new KubernetesCluster(t, 'k', {
      nodeGroups: { md0: { minReplicas: 1, maxReplicas: 2, instanceType: 'u1.medium', diskSize: '20Gi', roles: ['ingress-nginx'] } },
      addons: { monitoringAgents: { enabled: true } },
    });
    k.addIngress('web', { host: 'web.acme.example.org', backend: plus.IngressBackend.fromService(new plus.Service(k.workloads, 'svc', { ports: [{ port: 80 }] })) });
    expect(synthProblems(app)).toEqual([]);
    const w = warningsOf(root);
    expect(w).toEqual([
      expect.stringContaining('Kubernetes "k" publishes its API server through the ingress of tenant-root'),
      expect.stringContaining('Kubernetes "k" routes the hosts of its ingress-nginx addon (exposeMethod Proxied) through the ingress of tenant-root'),
      expect.stringContaining('Kubernetes "k" sends the metrics and logs of its monitoring agents to the monitoring of tenant-root'),
    ]);
    new IngressService(t);
    new MonitoringService(root);
    expect(warningsOf(root)).toEqual([]);
  });
});

describe('deprecated fields are warned about at synth, with the replacement', () => {
  test('each deprecated field set, once (a field under a deprecated field is not repeated)', () => {
    const { root, app } = platform();
    const t = new Tenant(root, 'acme');
    new Postgres(t, 'db', { backup: { enabled: true, destinationPath: 's3://bucket/db/', endpointURL: 'https://s3.example.org' } });
    new FoundationDB(t, 'fdb', { backup: { enabled: true, s3: { bucket: 'b' } } });
    new VMInstance(t, 'vm', { subnets: [{ name: 'subnet-1' }] });
    expect(synthProblems(app)).toEqual([]);
    const deprecations = root.synthBundle().warnings.filter(w => w.includes('deprecated'));
    expect(deprecations).toEqual([
      expect.stringMatching(/^\[platform\/acme\/db\] spec\.backup\.destinationPath is deprecated since Cozystack v\d+\.\d+\.\d+: use .+\.$/),
      expect.stringMatching(/^\[platform\/acme\/db\] spec\.backup\.endpointURL is deprecated/),
      expect.stringMatching(/^\[platform\/acme\/fdb\] spec\.backup is deprecated/),
      expect.stringMatching(/^\[platform\/acme\/vm\] spec\.subnets is deprecated .*: use .*networks/),
    ]);
  });

  test('nothing is said for a spec without deprecated fields', () => {
    const { root } = platform();
    new Postgres(new Tenant(root, 'acme'), 'db', { replicas: 2 });
    expect(root.synthBundle().warnings.filter(w => w.includes('deprecated'))).toEqual([]);
  });
});

describe('version profiles: a kind is refused on a Cozystack version that does not serve it', () => {
  const on = (version: CozystackVersion, build: (t: Tenant) => void) => {
    const app = tempApp();
    const root = new RootTenant(app, 'platform', { host: 'example.org', version });
    build(new Tenant(root, 'acme'));
    return synthProblems(app).map(p => `${p.path}: ${p.message}`);
  };

  test('v0.41 lacks Harbor, Qdrant, OpenBAO, OpenSearch, ExternalDNS and KubernetesNodes: the message names the version that has them', () => {
    expect(on(CozystackVersion.V0_41, t => new Harbor(t, 'h'))).toEqual([
      'platform/acme/h: Harbor is not served by Cozystack v0.41: the kind exists from v1.0. Remove it, or set the RootTenant\'s version to v1.0 or newer.',
    ]);
    expect(on(CozystackVersion.V0_41, t => new OpenSearch(t, 's'))).toEqual([expect.stringContaining('the kind exists from v1.2')]);
  });

  test('v0.41 called MariaDB MySQL', () => {
    expect(on(CozystackVersion.V0_41, t => new MariaDB(t, 'm'))).toEqual([
      expect.stringContaining('MariaDB is not served by Cozystack v0.41, which called the kind MySQL'),
    ]);
  });

  test('a kind v0.41 had but whose v0.41 chart the library does not carry is refused: its spec could not be checked', () => {
    expect(on(CozystackVersion.V0_41, t => new Redis(t, 'r'))).toEqual([expect.stringContaining('the library carries no v0.41.11 chart data')]);
  });

  test('kinds that came later in v1: OpenBAO v1.1, ExternalDNS and OpenSearch v1.2, KubernetesNodes v1.6', () => {
    expect(on(CozystackVersion.V1_0, t => new OpenBAO(t, 'b'))).toEqual([expect.stringContaining('OpenBAO is not served by Cozystack v1.0: the kind exists from v1.1')]);
    expect(on(CozystackVersion.V1_1, t => new OpenBAO(t, 'b'))).toEqual([]);
    expect(on(CozystackVersion.V1_1, t => new ExternalDNS(t, 'd', { provider: 'aws' }))).toEqual([expect.stringContaining('exists from v1.2')]);
    expect(on(CozystackVersion.V1_2, t => new ExternalDNS(t, 'd', { provider: 'aws' }))).toEqual([]);
    expect(on(CozystackVersion.V1_5, t => {
      new EtcdService(t);
      new KubernetesNodes(t, 'p', { kubernetesCluster: new KubernetesCluster(t, 'k') });
    })).toEqual([expect.stringContaining('KubernetesNodes is not served by Cozystack v1.5: the kind exists from v1.6')]);
  });
});

describe('every ApplicationDefinition has a construct and every construct an ApplicationDefinition', () => {
  const kindsIn = (file: string) => (JSON.parse(fs.readFileSync(file, 'utf8')).definitions as any[]).map(d => d.kind).sort();

  test('charts/v1.6.2/definitions.json: each kind has a construct', () => {
    const kinds = kindsIn(path.join(__dirname, '..', 'charts', 'v1.6.2', 'definitions.json'));
    expect(kinds).toHaveLength(30);
    expect(kinds.filter(k => !CONSTRUCT_OF_KIND[k])).toEqual([]);
  });

  test('../shared/cozystack/catalogue-v1.6.2: each ApplicationDefinition has a construct (fails without ../shared)', () => {
    const dir = path.join(__dirname, '..', '..', 'shared', 'cozystack', 'catalogue-v1.6.2');
    if (!fs.existsSync(dir)) throw new Error(`${dir} is absent: the catalogue cannot be compared with Cozystack's ApplicationDefinitions. Check the repository out beside ../shared.`);
    const files = fs.readdirSync(dir).filter(f => f.endsWith('.applicationdefinition.yaml'));
    expect(files).toHaveLength(30);
    const kinds = files.map(f => YAML.parse(fs.readFileSync(path.join(dir, f), 'utf8')).spec.application.kind as string);
    expect(kinds.filter(k => !CONSTRUCT_OF_KIND[k])).toEqual([]);
    expect(kinds.sort()).toEqual(REGISTRY.all().map(k => k.kind).sort());
  });

  test('each construct of the library emits a kind that has an ApplicationDefinition', () => {
    // What each construct emits, read off the catalogue example's tree.
    const root = buildCatalogue(tempApp());
    const emitted = new Map<string, Set<string>>();
    for (const c of root.node.findAll()) {
      for (const child of c.node.children) {
        if (!(child instanceof ApiObject) || child.apiVersion !== 'apps.cozystack.io/v1alpha1') continue;
        const cls = c.constructor.name;
        emitted.set(cls, (emitted.get(cls) ?? new Set()).add(child.kind));
      }
    }
    const constructs = Object.entries(lib).filter(([, v]) => typeof v === 'function' && (v as any).prototype instanceof Construct).map(([k]) => k);
    // Abstract bases emit nothing themselves; GatewayService sets a tenant flag (no ApplicationDefinition).
    const noObject = ['ChartAppBase', 'ClusterServiceBase', 'CozystackAppBase', 'GatewayService'];
    for (const name of constructs.filter(n => !noObject.includes(n))) {
      const kinds = [...(emitted.get(name) ?? [])];
      expect({ name, kinds: kinds.length > 0 }).toEqual({ name, kinds: true });
      for (const k of kinds) expect({ name, kind: k, defined: REGISTRY.tryGet(k) !== undefined }).toEqual({ name, kind: k, defined: true });
    }
    const nonRoot = Object.entries(CONSTRUCT_OF_KIND).filter(([k]) => k !== 'Info');
    for (const [kind, construct] of nonRoot) expect({ kind, emittedBy: [...emitted.entries()].filter(([, ks]) => ks.has(kind)).map(([c]) => c) }).toEqual({ kind, emittedBy: expect.arrayContaining([construct.split(' ')[0]]) });
  });
});

test('examples/catalogue.ts synthesizes and declares every kind', () => {
  const app = tempApp();
  const root = buildCatalogue(app);
  expect(synthProblems(app)).toEqual([]);
  const kinds = new Set(root.synthBundle().manifests.map((o: any) => o.kind));
  expect(REGISTRY.all().map(k => k.kind).filter(k => !kinds.has(k))).toEqual(['Info']);
  expect(fs.existsSync(path.join(app.outdir, 'topology.json'))).toBe(true);
});

test('the README table of kinds is the one the registry gives (scripts/kinds-table.ts rewrites it)', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  expect(readme).toBe(withTable(readme));
  for (const d of REGISTRY.all()) expect(readme).toContain(`| ${d.kind} | \`${CONSTRUCT_OF_KIND[d.kind]}\``);
});

test('RabbitMQ names its per-user Secrets after the kebab-cased user, as the chart does', () => {
  const { root } = platform();
  const q = new RabbitMQ(new Tenant(root, 'acme'), 'queue', { users: { backendWorker: {} } });
  expect(q.userSecretName('backendWorker')).toBe('rabbitmq-queue-backend-worker-credentials');
  expect(q.credentials.map(c => c.secretName)).toEqual(['rabbitmq-queue-default-user', 'rabbitmq-queue-backend-worker-credentials']);
});

test('secrets a chart takes only inline are warned about where they are written in plain text', () => {
  const { root } = platform();
  const t = new Tenant(root, 'acme');
  new MariaDB(t, 'm', { users: { app: { maxUserConnections: 10, password: 'p' } } });
  new ExternalDNS(t, 'dns', { provider: 'cloudflare', cloudflare: { apiToken: 'tok' } });
  new Nats(t, 'n', { users: { app: {} } });
  expect(root.synthBundle().warnings.filter(w => w.includes('plain text'))).toEqual([
    expect.stringMatching(/^\[platform\/acme\/dns\] spec\.cloudflare\.apiToken is stored in plain text in the ExternalDNS object/),
    expect.stringMatching(/^\[platform\/acme\/m\] spec\.users\.app\.password is stored in plain text in the MariaDB object/),
  ]);
});

test('topology.json records a host only for kinds that have one, and credentials and endpoints for every kind', () => {
  const app = tempApp();
  buildCatalogue(app);
  app.synth();
  const topology = readTopologyFile(app.outdir);
  const byKind = (kind: string) => topology.apps.find(a => a.kind === kind)!;
  expect(byKind('Kafka').host).toBeUndefined();
  expect(byKind('Harbor').host).toBe('harbor-registry.shop.example.org');
  expect(byKind('Redis').credentials).toEqual([{ id: 'auth', secret: 'redis-sessions-auth', keys: ['password'], description: expect.any(String) }]);
  expect(byKind('Kafka').endpoints.map(e => e.name)).toEqual(['kafka-events-kafka-bootstrap']);
});
