/**
 * Rules Cozystack's charts enforce when they render, which a schema cannot express,
 * and the secret rules: nothing in plain text by accident.
 */
import * as plus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { EtcdService, IngressService, KubernetesCluster, MonitoringService, Postgres, RootTenant } from '../src';
import { synthProblems, tempApp } from './support/synth';

const NODE = { minReplicas: 1, maxReplicas: 2, instanceType: 'u1.medium', diskSize: '20Gi' };

function platform(build: (root: RootTenant, scratch: Construct) => void) {
  const app = tempApp();
  const root = new RootTenant(app, 'platform', { host: 'example.org' });
  new EtcdService(root);
  build(root, new Construct(app, 'imports'));
  return { app, root, problems: synthProblems(app), messages: () => synthProblems(app).map(p => p.message) };
}

function specOf(root: RootTenant, kind: string, name: string): any {
  const docs = root.synthBundle().waves.flatMap(w => YAML.parseAllDocuments(w.yaml).map(x => x.toJS()));
  return docs.find((d: any) => d.kind === kind && d.metadata.name === name).spec;
}

describe('kubernetes', () => {
  test.each([['cpu', 'resources.memory'], ['memory', 'resources.cpu']])('node group resources with only %s', (given, missing) => {
    const { problems } = platform(r => new KubernetesCluster(r, 'k', { nodeGroups: { md0: { ...NODE, resources: { [given]: '2' } } } }));
    expect(problems).toEqual([{ path: 'platform/k', message: `Node group "md0" sets only one of resources.cpu and resources.memory: Cozystack's kubernetes chart refuses to render that. Set ${missing} too, or neither (the instance type then sizes the nodes).` }]);
  });

  test.each([
    ['a hostPath volume', [{ name: 'v', hostPath: { path: '/etc' } }], [], 'must have exactly one source, configMap or secret'],
    ['a volume with two sources', [{ name: 'v', secret: { secretName: 's' }, configMap: { name: 'c' } }], [], 'must have exactly one source'],
    ['a volume without a name', [{ secret: { secretName: 's' } }], [], 'has no name'],
    ['a reserved name', [{ name: 'talos-ca', secret: { secretName: 's' } }], [], 'uses a name the chart reserves'],
    ['a name declared twice', [{ name: 'v', secret: { secretName: 's' } }, { name: 'v', configMap: { name: 'c' } }], [], 'is declared twice'],
    ['a mount of an undeclared volume', [{ name: 'v', secret: { secretName: 's' } }], [{ name: 'w', mountPath: '/w' }], 'mounts "w", which is not one of the declared extraVolumes'],
    ['a mount of a chart volume', [], [{ name: 'talos-tls-cert', mountPath: '/t' }], 'mounts "talos-tls-cert"'],
  ])('API server volumes: %s', (_what, extraVolumes, extraVolumeMounts, text) => {
    const { problems } = platform(r => new KubernetesCluster(r, 'k', { controlPlane: { apiServer: { extraVolumes, extraVolumeMounts } } as any }));
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toContain(text);
  });

  test('Secret and ConfigMap volumes from cdk8s-plus', () => {
    const { root, problems } = platform((r, scratch) => {
      const k = new KubernetesCluster(r, 'k');
      k.addApiServerSecretVolume('authn', plus.Secret.fromSecretName(scratch, 's', 'authn-config'), '/etc/authn');
      k.addApiServerConfigMapVolume('ca', plus.ConfigMap.fromConfigMapName(scratch, 'c', 'extra-ca'), '/etc/ca');
    });
    expect(problems).toEqual([]);
    expect(specOf(root, 'Kubernetes', 'k').controlPlane.apiServer).toEqual({
      extraVolumes: [{ name: 'authn', secret: { secretName: 'authn-config' } }, { name: 'ca', configMap: { name: 'extra-ca' } }],
      extraVolumeMounts: [{ name: 'authn', mountPath: '/etc/authn', readOnly: true }, { name: 'ca', mountPath: '/etc/ca', readOnly: true }],
    });
  });

  test('OIDC custom config from a Secret', () => {
    const { root, problems } = platform((r, scratch) => new KubernetesCluster(r, 'k', {
      oidcCustomConfigSecret: plus.Secret.fromSecretName(scratch, 's', 'oidc-config'),
    }));
    expect(problems).toEqual([]);
    expect(specOf(root, 'Kubernetes', 'k').oidc).toEqual({ mode: 'CustomConfig', customConfig: { secretRef: { name: 'oidc-config' } } });
  });

  test('OIDC custom config inline and by reference at once', () => {
    const { problems } = platform(r => new KubernetesCluster(r, 'k', {
      oidc: { mode: 'CustomConfig', customConfig: { config: 'apiVersion: x', secretRef: { name: 's' } } },
    }));
    expect(problems.map(p => p.message)).toEqual(['oidc.customConfig sets both an inline config and secretRef.name: the chart takes one or the other. Keep one of them.']);
  });
});

test('ingress: cloudflareProxy and proxyProtocol are exclusive', () => {
  const { problems } = platform(r => new IngressService(r, { cloudflareProxy: true, proxyProtocol: true }));
  expect(problems).toEqual([{ path: 'platform/IngressService', message: expect.stringContaining('cloudflareProxy and proxyProtocol are mutually exclusive') }]);
});

describe('secrets', () => {
  test('Postgres passwords are refused without the opt-in', () => {
    const { problems } = platform(r => new Postgres(r, 'db', { users: { app: { password: 'hunter2' } } }));
    expect(problems.map(p => p.message)).toEqual([
      'Postgres user "app" has an explicit password: it would be stored in plain text in the Postgres object and its HelmRelease. Leave it out (Cozystack generates one into the credentials Secret), or set allowPlaintextSecrets: true to accept that.',
    ]);
  });

  test('with the opt-in they are emitted, with a warning', () => {
    const { root, problems } = platform(r => new Postgres(r, 'db', { users: { app: { password: 'hunter2' } }, allowPlaintextSecrets: true }));
    expect(problems).toEqual([]);
    expect(specOf(root, 'Postgres', 'db')).toEqual({ users: { app: { password: 'hunter2' } } });
    expect(root.synthBundle().warnings).toEqual([
      '[platform/db] The password of Postgres user "app" is stored in plain text on the management cluster (allowPlaintextSecrets is set).',
    ]);
  });

  test('no password by default', () => {
    const { root } = platform(r => new Postgres(r, 'db', { users: { app: {} } }));
    expect(specOf(root, 'Postgres', 'db')).toEqual({ users: { app: {} } });
  });

  test.each(['s3AccessKey', 's3SecretKey'])('inline backup %s is refused', field => {
    const { problems } = platform(r => new Postgres(r, 'db', { backup: { enabled: true, [field]: 'AKIA...' } }));
    expect(problems.map(p => p.message)).toEqual([expect.stringMatching(new RegExp(`^backup\\.${field} puts an S3 credential in plain text .* Reference a Secret instead`))]);
  });

  test('backup credentials by Secret reference', () => {
    const { root, problems } = platform((r, scratch) => new Postgres(r, 'db', {
      backup: { enabled: true, destinationPath: 's3://b/p/', s3CredentialsSecret: { accessKeyIDKey: 'id', secretAccessKeyKey: 'key' } },
      backupS3CredentialsSecret: plus.Secret.fromSecretName(scratch, 's', 'backup-s3'),
    }));
    expect(problems).toEqual([]);
    expect(specOf(root, 'Postgres', 'db').backup).toEqual({
      enabled: true, destinationPath: 's3://b/p/', s3CredentialsSecret: { name: 'backup-s3', accessKeyIDKey: 'id', secretAccessKeyKey: 'key' },
    });
  });

  test('monitoring alert tokens, which the chart cannot reference, are warned about', () => {
    const { root, problems } = platform(r => new MonitoringService(r, { alerta: { alerts: { telegram: { token: 't', chatID: '1' } } } }));
    expect(problems).toEqual([]);
    expect(root.synthBundle().warnings).toEqual([
      '[platform/MonitoringService] alerta.alerts.telegram.token is stored in plain text in the Monitoring object (the chart offers no Secret reference for it).',
    ]);
  });
});
