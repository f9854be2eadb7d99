/**
 * Every kind of the catalogue in one realistic platform: a shop tenant running its
 * Kubernetes cluster with a GPU pool, its databases, queues and caches, a registry and object
 * storage; a lab tenant with virtual machines on a private network and a VPN into it.
 * `npx ts-node -P test/tsconfig.json examples/catalogue.ts` synthesizes it into dist/catalogue
 * and lists each app with its credentials Secrets.
 */
import { App } from 'cdk8s';
import {
  BootBoxService, Bucket, ClickHouse, EtcdService, ExternalDNS, FoundationDB, GatewayService, Harbor, HTTPCache, IngressService, Kafka,
  KubernetesCluster, KubernetesNodes, MariaDB, MongoDB, MonitoringService, Nats, OpenBAO, OpenSearch, Postgres, Qdrant, RabbitMQ,
  Redis, RootTenant, SeaweedFSService, TCPBalancer, Tenant, VirtualPrivateCloud, VMDisk, VMInstance, Vpn,
} from '../src';

export function buildCatalogue(app: App): RootTenant {
  const root = new RootTenant(app, 'platform', { host: 'example.org' });
  new EtcdService(root, { size: '10Gi', replicas: 3 });
  new IngressService(root, { replicas: 2 });
  new MonitoringService(root, { alerta: { storage: '20Gi' } });
  new SeaweedFSService(root, { replicationFactor: 2, volume: { replicas: 3, size: '500Gi' } });
  new BootBoxService(root, {
    machines: [{
      hostname: 'node4',
      arch: 'amd64',
      uefi: true,
      leaseTime: 86400,
      ip: { address: '10.0.0.14', netmask: '255.255.255.0', gateway: '10.0.0.1' },
      mac: ['52:54:00:12:34:56'],
    }],
  });

  // The shop: its own ingress and gateway, object storage inherited from the root.
  const shop = new Tenant(root, 'shop', { resourceQuotas: { cpu: '64', memory: '256Gi' } });
  new IngressService(shop, { replicas: 2 });
  new GatewayService(shop);
  const k8s = new KubernetesCluster(shop, 'k8s', {
    nodeGroups: { md0: { minReplicas: 2, maxReplicas: 6, instanceType: 'u1.large', diskSize: '50Gi', roles: ['ingress-nginx'] } },
  });
  new KubernetesNodes(shop, 'gpu', { kubernetesCluster: k8s, instanceType: 'u1.2xlarge', minReplicas: 0, maxReplicas: 2, diskSize: '100Gi' });
  new Postgres(shop, 'orders', { replicas: 2, size: '50Gi', users: { shop: {} }, databases: { shop: { roles: { admin: ['shop'] } } } });
  new MariaDB(shop, 'legacy', {
    users: { cms: { maxUserConnections: 50, password: 'rotate-me' } }, databases: { cms: { roles: { admin: ['cms'] } } },
  });
  new MongoDB(shop, 'catalog', { users: { shop: {} }, databases: { catalog: { roles: { admin: ['shop'] } } } });
  new Redis(shop, 'sessions', { replicas: 2, size: '2Gi' });
  new RabbitMQ(shop, 'jobs', { users: { worker: {} }, vhosts: { jobs: { roles: { admin: ['worker'] } } } });
  new Kafka(shop, 'events', { topics: [{ name: 'orders', partitions: 6, replicas: 3, config: { 'retention.ms': 604800000 } }] });
  new Nats(shop, 'bus', { users: { shop: {} }, jetstream: { enabled: true, size: '10Gi' } });
  new ClickHouse(shop, 'analytics', { users: { analyst: { readonly: true } } });
  new OpenSearch(shop, 'search', { users: { shop: { roles: ['readall'] } } });
  new Qdrant(shop, 'vectors');
  new FoundationDB(shop, 'ledger');
  new OpenBAO(shop, 'vault', { replicas: 3 });
  new Bucket(shop, 'assets', { users: { shop: {}, cdn: { readonly: true } } });
  new Harbor(shop, 'registry');
  new HTTPCache(shop, 'cdn', { endpoints: ['10.100.3.1:80', '10.100.3.2:80'] });
  new TCPBalancer(shop, 'edge', {
    external: true, httpAndHttps: { mode: 'tcp', targetPorts: { http: 80, https: 443 }, endpoints: ['10.100.3.1', '10.100.3.2'] },
  });
  new ExternalDNS(shop, 'dns', { provider: 'cloudflare', domainFilters: ['shop.example.org'] });

  // The lab: virtual machines on a private network, reached through a VPN.
  const lab = new Tenant(root, 'lab');
  const net = new VirtualPrivateCloud(lab, 'net', { subnets: [{ name: 'private', cidr: '172.16.0.0/24' }] });
  const system = new VMDisk(lab, 'system', { source: { http: { url: 'https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img' } }, storage: '20Gi' });
  const data = new VMDisk(lab, 'data', { storage: '100Gi' });
  new VMInstance(lab, 'builder', {
    instanceType: 'u1.large',
    attachedDisks: [{ disk: system }, { disk: data }],
    networks: [{ name: net.subnetNetworkName('private') }],
    sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLE builder'],
  });
  new Vpn(lab, 'office', { users: { alice: {}, bob: {} } });
  return root;
}

if (require.main === module) {
  const app = new App({ outdir: 'dist/catalogue' });
  const root = buildCatalogue(app);
  app.synth();
  const topology = root.synthBundle().topology;
  console.log(`Synthesized ${root.node.path} into ${app.outdir}/: ${topology.apps.length} apps`);
  for (const a of topology.apps) {
    console.log(`  ${a.kind} ${a.name} (${a.namespace})${a.host ? `  ${a.host}` : ''}`);
    for (const c of a.credentials) console.log(`    Secret ${c.secret}${c.keys.length ? ` keys ${c.keys.join(', ')}` : ''}`);
  }
}
