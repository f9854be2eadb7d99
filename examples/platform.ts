/**
 * The example platform of the README: synthesizes into dist/ and prints the tenant
 * tree with hosts and providers.
 */
import { App } from 'cdk8s';
import {
  EtcdService, IngressService, KubernetesCluster, MonitoringService, Postgres, RootTenant, Tenant,
} from '../src';

export function buildPlatform(app: App): RootTenant {
  const root = new RootTenant(app, 'platform', { host: 'example.org' });
  new EtcdService(root);
  new IngressService(root);
  new MonitoringService(root);

  const foo = new Tenant(root, 'foo');
  new KubernetesCluster(foo, 'cluster1', {
    nodeGroups: { md0: { minReplicas: 1, maxReplicas: 3, instanceType: 'u1.medium', diskSize: '20Gi' } },
  });

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
  console.log(`Synthesized ${root.node.path} into ${app.outdir}/`);
  for (const t of topology.tenants) {
    const s = t.services;
    console.log(`${'  '.repeat(t.depth)}${t.name}  ${t.namespace}  ${t.host}  etcd=${s.etcd} ingress=${s.ingress} monitoring=${s.monitoring} seaweedfs=${s.seaweedfs}`);
    for (const a of topology.apps.filter((x: any) => x.namespace === t.namespace)) {
      console.log(`${'  '.repeat(t.depth + 1)}- ${a.kind} ${a.name}  ${a.host}  etcd=${a.services.etcd} ingress=${a.services.ingress} monitoring=${a.services.monitoring}`);
    }
  }
}
