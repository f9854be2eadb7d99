/**
 * A platform that sets many values of every chart: the tests validate what it emits.
 */
import { tempApp } from './synth';
import {
  EtcdService, IngressService, KubernetesCluster, MonitoringService, Postgres, RootTenant, Tenant,
} from '../../src';

export function richPlatform() {
  const app = tempApp();
  const root = new RootTenant(app, 'platform', { host: 'example.org', seaweedfs: true });
  new EtcdService(root, { size: '8Gi', replicas: 3, storageClass: 'local', resources: { cpu: '2', memory: '1Gi' } });
  new IngressService(root, { replicas: 3, whitelist: ['10.0.0.0/8'], resourcesPreset: 'c1.small' });
  new MonitoringService(root, {
    metricsStorages: [{ name: 'shortterm', retentionPeriod: '7d', deduplicationInterval: '15s', storage: '20Gi' }],
  });
  const a = new Tenant(root, 'a', { resourceQuotas: { 'cpu': '20', 'memory': '64Gi', 'services.loadbalancers': '3' }, schedulingClass: 'gold', gateway: true });
  new EtcdService(a, { size: '10Gi' });
  new IngressService(a, { cloudflareProxy: true, resources: { cpu: '500m', memory: '512Mi' } });
  new MonitoringService(a, { host: 'grafana.a.example.org' });
  const b = new Tenant(a, 'b', { host: 'b.example.net', seaweedfs: true });
  new KubernetesCluster(b, 'k8s', {
    version: 'v1.34',
    storageClass: 'replicated',
    nodeGroups: {
      md0: { minReplicas: 1, maxReplicas: 5, instanceType: 'u1.large', diskSize: '50Gi', roles: ['ingress-nginx'] },
      gpu: { minReplicas: 0, maxReplicas: 2, instanceType: 'u1.xlarge', diskSize: '100Gi', resources: { cpu: '8', memory: '32Gi' }, gpus: [{ name: 'nvidia.com/AD102GL_L40S' }] },
    },
    addons: { certManager: { enabled: true }, ingressNginx: { enabled: true, hosts: ['app.b.example.net'] } } as any,
    controlPlane: { replicas: 3 } as any,
  });
  new Postgres(b, 'db', {
    replicas: 3,
    size: '20Gi',
    version: 'v17',
    resourcesPreset: 'u1.medium',
    external: true,
    users: { app: {}, repl: { replication: true } },
    databases: { app: { extensions: ['hstore'], roles: { admin: ['app'], readonly: ['repl'] } } },
    postgresql: { parameters: { max_connections: '300' } },
    quorum: { minSyncReplicas: 1, maxSyncReplicas: 1 },
  });
  new KubernetesCluster(a, 'plain');
  new Postgres(a, 'plaindb');
  return { app, root };
}
