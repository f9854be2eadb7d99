/**
 * The example platform of the README: synthesizes into dist/ and prints the tenant
 * tree with hosts and providers.
 */
import { App, Size } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import {
  EtcdService, IngressService, KubernetesCluster, MonitoringService, Postgres, RootTenant, RootTenantProps, Tenant,
} from '../src';

export function buildPlatform(app: App, extra: Partial<RootTenantProps> = {}): RootTenant {
  const root = new RootTenant(app, 'platform', { host: 'example.org', ...extra });
  new EtcdService(root);
  new IngressService(root);
  new MonitoringService(root);

  const foo = new Tenant(root, 'foo');
  const cluster = new KubernetesCluster(foo, 'cluster1', {
    nodeGroups: { md0: { minReplicas: 1, maxReplicas: 3, instanceType: 'u1.medium', diskSize: '20Gi' } },
  });

  // Inside the tenant cluster: a volume, a deployment using it, and a load balancer in front.
  const data = cluster.addPersistentVolumeClaim('data', { storage: Size.gibibytes(10) });
  const web = new plus.Deployment(cluster.workloads, 'web', {
    replicas: 2,
    containers: [{
      image: 'nginx:1.27',
      portNumber: 8080,
      securityContext: { user: 101, group: 101 },
      volumeMounts: [{ path: '/usr/share/nginx/html', volume: plus.Volume.fromPersistentVolumeClaim(cluster.workloads, 'data-volume', data) }],
    }],
  });
  cluster.addLoadBalancer('web-lb', { ports: [{ port: 80, targetPort: 8080 }], selector: web });

  const u1 = new Tenant(root, 'u1');
  new EtcdService(u1);
  new IngressService(u1);
  new MonitoringService(u1);
  const u2 = new Tenant(u1, 'u2');
  new KubernetesCluster(u2, 'cluster1', {
    nodeGroups: { md0: { minReplicas: 1, maxReplicas: 3, instanceType: 'u1.medium', diskSize: '20Gi' } },
  });
  new Postgres(u2, 'db1', {
    replicas: 2,
    size: '10Gi',
    users: { app: {} },
    databases: { app: { roles: { admin: ['app'] } } },
  });
  return root;
}

if (require.main === module) {
  const app = new App();
  const root = buildPlatform(app);
  app.synth();
  const topology = root.synthBundle().topology;
  const clusterBundles = root.synthBundle().index.clusters as any[];
  const bundle = root.synthBundle();
  console.log(`Synthesized ${root.node.path} into ${app.outdir}/: ${bundle.waves.length} waves, ${bundle.index.clusters.length} tenant-cluster bundle(s)`);
  for (const t of topology.tenants) {
    const s = t.services;
    console.log(`${'  '.repeat(t.depth)}${t.name}  ${t.namespace}  ${t.host}  etcd=${s.etcd} ingress=${s.ingress} monitoring=${s.monitoring} seaweedfs=${s.seaweedfs}`);
    for (const a of topology.apps.filter((x: any) => x.namespace === t.namespace)) {
      console.log(`${'  '.repeat(t.depth + 1)}- ${a.kind} ${a.name}  ${a.host}  ${Object.entries(a.services).map(([k, v]) => `${k}=${v}`).join(' ')}`);
      const own = clusterBundles.find(c => c.namespace === a.namespace && c.name === a.name && a.kind === 'Kubernetes');
      if (own) console.log(`${'  '.repeat(t.depth + 2)}workloads: ${own.dir}/ (${own.objects.map((o: any) => `${o.kind} ${o.name}`).join(', ')})`);
    }
  }
}
