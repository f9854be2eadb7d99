/**
 * Issue 13, faults 3 and 7, and the rules the other suites test without a tag: each
 * message names the value written and, where there is one, the closest valid value; one
 * problem never hides another; letter case is read the way the cluster reads it.
 */
import * as plus from 'cdk8s-plus-28';
import {
  CozystackVersion, EtcdService, IngressService, KubernetesCluster, Postgres, RootTenant, Tenant,
} from '../src';
import { synthProblems, tempApp } from './support/synth';
import { closest, closestVersion, levenshtein } from '../src/domain/rules/common';

const NODE = { minReplicas: 1, maxReplicas: 3, instanceType: 'u1.medium', diskSize: '20Gi' };

function problems(build: (root: RootTenant) => void, version?: CozystackVersion) {
  const app = tempApp();
  const root = new RootTenant(app, 'platform', { host: 'example.org', version });
  new EtcdService(root);
  build(root);
  return synthProblems(app);
}

function messages(build: (root: RootTenant) => void, version?: CozystackVersion): string[] {
  return problems(build, version).map(p => p.message);
}

describe('fault 7: the value written and the closest valid one', () => {
  test('version "v1.99" names the value and the closest allowed version, v1.35', () => {
    // rule: schema/enum
    expect(messages(root => new KubernetesCluster(root, 'k', { version: 'v1.99' }))).toEqual([
      'spec.version must be one of "v1.35", "v1.34", "v1.33", "v1.32", "v1.31" and is "v1.99" (Cozystack v1.6.2 kubernetes chart schema). Pick one of the allowed values, e.g. "v1.35", the closest to "v1.99".',
    ]);
  });

  test('an enum slip in letter case names the listed spelling', () => {
    // rule: schema/enum
    expect(messages(root => new KubernetesCluster(root, 'k', { version: 'V1.34' }))[0]).toContain('e.g. "v1.34", the closest to "V1.34".');
    expect(messages(root => new Postgres(root, 'db', { resourcesPreset: 'U1.Medium' as any }))[0]).toContain('e.g. "u1.medium", the closest to "U1.Medium".');
    // Nothing close: the first allowed value, not a guess.
    expect(messages(root => new Postgres(root, 'db', { resourcesPreset: 'huge' as any }))[0]).toContain('Pick one of the allowed values, e.g. "t1.nano".');
  });

  test('a bad quantity says "not a Kubernetes quantity", with examples and the nearest spelling', () => {
    // rule: schema/quantity
    const [m] = messages(root => new Postgres(root, 'db', { size: '10GB' }));
    expect(m).toBe('spec.size does not match the quantity format: "10GB" is not a Kubernetes quantity (Cozystack v1.6.2 postgres chart schema). '
      + 'Write a Kubernetes quantity such as "10Gi", "500m" or "2" (a decimal number with an optional suffix m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi or Ei, or an exponent); the closest is "10G".');
    expect(m).not.toContain('[KMGTPE]');
  });

  test('a misspelt field gets "did you mean"', () => {
    // rule: schema/unknown-field
    expect(messages(root => new KubernetesCluster(root, 'k', { nodeGroup: { md0: NODE } } as any))).toEqual([
      'spec.nodeGroup is not a field of Cozystack\'s kubernetes chart (v1.6.2): the server would accept it and ignore it. Remove it or check its spelling: did you mean spec.nodeGroups?',
    ]);
    expect(messages(root => new Postgres(root, 'db', { replics: 3 } as any))[0]).toContain('did you mean spec.replicas?');
    // Nothing close: no guess.
    expect(messages(root => new Postgres(root, 'db', { zzzzzz: 3 } as any))[0]).toContain('Remove it or check its spelling.');
  });

  test('a wrong type names the value, and the value to write when it is clear', () => {
    // rule: schema/type
    expect(messages(root => new Postgres(root, 'db', { replicas: 'two' as any }))).toEqual([
      'spec.replicas must be an integer and is "two" (Cozystack v1.6.2 postgres chart schema). Change the value to a whole number.',
    ]);
    expect(messages(root => new Postgres(root, 'db', { replicas: '2' as any }))[0]).toContain('Change the value to a whole number (2, without quotes).');
    expect(messages(root => new Postgres(root, 'db', { external: 'yes' as any }))[0]).toContain('Change the value to a boolean (true, without quotes).');
  });

  test('a missing required field says how to set it', () => {
    // rule: schema/required
    const [m] = messages(root => new KubernetesCluster(root, 'k', { controlPlane: { apiServer: null } } as any));
    expect(m).toBe('spec.controlPlane.apiServer is required (Cozystack v1.6.2 kubernetes chart schema). Set apiServer.');
  });

  test('a too-long namespace does not hide a too-long host on the same tenant', () => {
    // rule: api/tenant-namespace
    // rule: tenant/host
    const p = problems(root => {
      const a = new Tenant(root, 'a'.repeat(20));
      const b = new Tenant(a, 'b'.repeat(20));
      new Tenant(b, 'c'.repeat(21));
    });
    const c = `platform/${'a'.repeat(20)}/${'b'.repeat(20)}/${'c'.repeat(21)}`;
    expect(p.map(x => x.path)).toEqual([c, c]);
    expect(p[0].message).toContain(`"tenant-${'a'.repeat(20)}-${'b'.repeat(20)}-${'c'.repeat(21)}" has 70 characters`);
    expect(p[1].message).toContain(`Tenant host "${'c'.repeat(21)}.${'b'.repeat(20)}.${'a'.repeat(20)}.example.org" cannot be stored`);
  });

  test('a host that is no DNS name and too long for the label gets both messages', () => {
    // rule: tenant/host
    const host = `Shop.${'a'.repeat(60)}.example.org`;
    const p = messages(root => new Tenant(root, 'a', { host }));
    expect(p).toEqual([
      expect.stringContaining(`Tenant host "${host}" is not a valid DNS name: its label "Shop" is not a lowercase DNS label`),
      expect.stringContaining(`Tenant host "${host}" cannot be stored: Cozystack writes it into the namespace label namespace.cozystack.io/host`),
    ]);
  });

  test('a name that breaks two rules gets both messages', () => {
    // rule: api/tenant-name
    const name = `A${'a'.repeat(46)}`;
    const p = messages(root => new Tenant(root, name));
    expect(p).toHaveLength(2);
    expect(p[0]).toContain('Cozystack tenant names match ^[a-z][a-z0-9]*$');
    expect(p[1]).toContain('has 47 characters');
  });

  test('closest: case first, then edit distance; versions by number', () => {
    expect(levenshtein('memroy', 'memory')).toBe(1);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(closest('MultiZone', ['Simple', 'MultiZone'])).toBe('MultiZone');
    expect(closest('multizone', ['Simple', 'MultiZone'])).toBe('MultiZone');
    expect(closest('replics', ['replicas', 'resources'])).toBe('replicas');
    expect(closest('zzzzzz', ['replicas', 'resources'])).toBeUndefined();
    expect(closestVersion('v1.99', ['v1.35', 'v1.34', 'v1.31'])).toBe('v1.35');
    expect(closestVersion('v1.3', ['v1.35', 'v1.34', 'v1.31'])).toBe('v1.31');
    expect(closestVersion('v19', ['v18', 'v17'])).toBe('v18');
    expect(closestVersion('v11.9', ['v11.8', 'v11.4', 'v10.11'])).toBe('v11.8');
  });
});

describe('fault 3: letter case as the chart reads it', () => {
  test.each([
    ['Shared_Preload_Libraries', 'shared_preload_libraries'],
    ['ARCHIVE_COMMAND', 'archive_command'],
  ])('postgresql.parameters.%s is blocked like %s', (param, canonical) => {
    // rule: postgres/blocked-parameter
    const p = problems(root => new Postgres(root, 'db', { postgresql: { parameters: { [param]: 'x' } } }));
    expect(p).toEqual([{
      path: 'platform/db',
      message: `postgresql.parameters.${param} is blocked by Cozystack's postgres chart (it runs commands or loads libraries on the server; `
        + `the chart lower-cases parameter names before it compares them, as PostgreSQL reads them, so "${param}" is ${canonical}). Remove it.`,
    }]);
  });

  test('a role naming "App" for the user "app" names the user', () => {
    // rule: postgres/role-user
    expect(messages(root => new Postgres(root, 'db', { users: { app: {} }, databases: { db: { roles: { admin: ['App'] } } } }))[0]).toContain('Write "app".');
  });
});

describe('admission rules of cozystack-api', () => {
  test('api/app-name and api/name-length: DNS-1035, len(prefix + name) <= 53', () => {
    expect(messages(root => new Postgres(root, 'Db'))[0]).toContain('Postgres names must be DNS-1035 labels of at most 44 characters');
    expect(messages(root => new Postgres(root, 'd'.repeat(45)))[0]).toContain('at most 44 characters');
    expect(messages(root => new Postgres(root, 'd'.repeat(44)))).toEqual([]);
  });

  test('api/label-keys: user labels and annotations are stored on the HelmRelease as apps.cozystack.io-<key>', () => {
    const long = 'k'.repeat(46);
    const p = messages(root => {
      const db = new Postgres(root, 'db');
      db.apiObject.metadata.addLabel(long, 'x');
      db.apiObject.metadata.addLabel('k'.repeat(45), 'x');
      db.apiObject.metadata.addAnnotation(`example.com/${long}`, 'x');
    });
    expect(p).toEqual([
      `The label "${long}" on this Postgres becomes "apps.cozystack.io-${long}" on its HelmRelease (cozystack-api stores labels under the prefix "apps.cozystack.io-"), `
      + `which Kubernetes refuses: its name "apps.cozystack.io-${long}" has 64 characters (at most 63: letters, digits, "-", "_" and "."), so the server refuses the object. `
      + `Shorten the key to at most 45 characters, or give it a prefix (example.com/${'k'.repeat(20)}).`,
    ]);
  });

  test('api/reserved-key: top-level keys starting with _', () => {
    expect(messages(root => new Postgres(root, 'db', { _namespace: {} } as any))).toContain(
      'Spec key "_namespace" starts with "_": Cozystack reserves such keys (_cluster, _namespace) and rejects the object. Remove it.');
  });

  test('api/tenant-quota: a child quota above what the direct parent has left', () => {
    const p = messages(root => {
      const a = new Tenant(root, 'a', { resourceQuotas: { cpu: '4' } });
      new Tenant(a, 'b', { resourceQuotas: { cpu: '3' } });
      new Tenant(a, 'c', { resourceQuotas: { cpu: '3' } });
    });
    expect(p.length).toBeGreaterThan(0);
    expect(p.join('\n')).toContain('"cpu"');
  });
});

describe('tenant rules', () => {
  test('tenant/root-name', () => {
    expect(messages(root => new Tenant(root, 'root'))[0]).toContain('Use RootTenant');
  });

  test('tenant/module-name: one object per module, named after its chart', () => {
    const p = messages(root => {
      const a = new Tenant(root, 'a');
      new EtcdService(a);
      new EtcdService(a);
    });
    expect(p).toEqual([expect.stringContaining('a tenant runs at most one of each cluster service')]);
  });

  test('tenant/quota-keys: requests.cpu would be rendered requests.requests.cpu', () => {
    const p = messages(root => new Tenant(root, 'a', { resourceQuotas: { 'requests.cpu': '4' } }));
    expect(p.join('\n')).toContain('requests.requests.cpu');
  });

  test('tenant/quota-pools: a{cpu:10} > b{} > c{cpu:20} overcommits a', () => {
    const p = messages(root => {
      const a = new Tenant(root, 'a', { resourceQuotas: { cpu: '10' } });
      const b = new Tenant(a, 'b');
      new Tenant(b, 'c', { resourceQuotas: { cpu: '20' } });
    });
    expect(p.join('\n')).toContain('overcommitted');
  });
});

describe('version profile', () => {
  test('version/field-too-new: gateway before v1.5', () => {
    expect(messages(root => new Tenant(root, 'a', { gateway: true }), CozystackVersion.V1_4).join('\n')).toContain('exists from v1.5');
  });

  test('version/field-removed: ephemeralStorage names diskSize', () => {
    const p = messages(root => new KubernetesCluster(root, 'k', { nodeGroups: { md0: { ...NODE, ephemeralStorage: '20Gi' } as any } }));
    expect(p).toEqual([expect.stringContaining('spec.nodeGroups.md0.ephemeralStorage no longer exists in Cozystack v1.6')]);
  });
});

describe('instance types: the closest one Cozystack installs', () => {
  test('kubernetes/instance-type warns about a slip in a Cozystack series, not about a platform\'s own series', () => {
    const app = tempApp();
    const root = new RootTenant(app, 'platform', { host: 'example.org' });
    new EtcdService(root);
    new KubernetesCluster(root, 'k', { nodeGroups: { md0: { ...NODE, instanceType: 'u1.mediun' }, gpu: { ...NODE, instanceType: 'gpu.huge' } } });
    expect(root.synthBundle().warnings.filter(w => w.includes('instance type'))).toEqual([
      '[platform/k] nodeGroups.md0.instanceType "u1.mediun" is not an instance type Cozystack installs (did you mean "u1.medium"?): '
      + 'the chart looks it up on the cluster and refuses a name that does not exist. Ignore this if your platform defines it.',
    ]);
  });
});

describe('kubernetes traps', () => {
  test('kubernetes/etcd-provider: no etcd in the provider waits forever', () => {
    const app = tempApp();
    const root = new RootTenant(app, 'platform', { host: 'example.org' });
    new KubernetesCluster(root, 'k', { nodeGroups: { md0: NODE } });
    expect(synthProblems(app).map(p => p.message).join('\n')).toContain('awaiting-etcd');
  });

  test('kubernetes/node-group-fields: no defaults for map entries', () => {
    expect(messages(root => new KubernetesCluster(root, 'k', { nodeGroups: { md0: { minReplicas: 1, maxReplicas: 2, instanceType: 'u1.medium' } } })))
      .toEqual([expect.stringContaining('Node group "md0" is missing diskSize')]);
  });

  test('kubernetes/ingress-nodes: ingress-nginx needs a node group with its role', () => {
    const p = messages(root => new KubernetesCluster(root, 'k', { nodeGroups: { md0: NODE }, addons: { ingressNginx: { enabled: true } } }));
    expect(p.join('\n')).toContain('no node group has the role "ingress-nginx"');
  });

  test('kubernetes/ingress-nodes: a role in another letter case is named', () => {
    const p = messages(root => new KubernetesCluster(root, 'k', { nodeGroups: { md0: { ...NODE, roles: ['Ingress-Nginx'] } }, addons: { ingressNginx: { enabled: true } } }));
    expect(p).toEqual([expect.stringContaining('A node group has the role "Ingress-Nginx": labels are case-sensitive, write "ingress-nginx".')]);
  });

  test('kubernetes/ingress-host and kubernetes/addon-for-workloads', () => {
    const withIngress = (addons: any, host: string) => messages(root => {
      new IngressService(root);
      const k = new KubernetesCluster(root, 'k', { nodeGroups: { md0: { ...NODE, roles: ['ingress-nginx'] } }, addons });
      k.addIngress('web', { host, backend: plus.IngressBackend.fromService(new plus.Service(k.workloads, 'svc', { ports: [{ port: 80 }] })) });
    });
    expect(withIngress({}, 'www.other.org').join('\n')).toContain('Ingress host "www.other.org" is neither in addons.ingressNginx.hosts');
    expect(withIngress({ ingressNginx: { enabled: false } }, 'www.example.org').join('\n')).toContain('addons.ingressNginx.enabled is false');
  });
});
