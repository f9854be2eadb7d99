/**
 * What Cozystack would reject or silently hang on is refused at synth: one message
 * per problem, naming the construct path, the rule and the fix; nothing written.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Bucket, EtcdService, IngressService, KubernetesCluster, MariaDB, MonitoringService, Postgres, Redis, RootTenant, SeaweedFSService, Tenant,
} from '../src';
import { synthProblems, tempApp } from './support/synth';

const NODE = { minReplicas: 1, maxReplicas: 3, instanceType: 'u1.medium', diskSize: '20Gi' };

function platform(build: (root: RootTenant, app: App) => void) {
  const app = tempApp();
  const root = new RootTenant(app, 'platform', { host: 'example.org' });
  new EtcdService(root);
  build(root, app);
  return { app, problems: synthProblems(app) };
}

function only(build: (root: RootTenant, app: App) => void) {
  const { app, problems } = platform(build);
  expect(problems).toHaveLength(1);
  expect(fs.readdirSync(app.outdir)).toEqual([]);
  return problems[0];
}

describe('tenant names', () => {
  test.each([
    ['Foo', 'match ^[a-z][a-z0-9]*$', 'e.g. "foo"'],
    ['foo-bar', 'no dashes', 'e.g. "foobar"'],
    ['1abc', 'starting with a letter', 'e.g. "abc"'],
  ])('%s', (name, rule, fix) => {
    const p = only(root => new Tenant(root, name));
    expect(p.path).toBe(`platform/${name}`);
    expect(p.message).toContain(rule);
    expect(p.message).toContain(fix);
  });

  test('at most 46 characters', () => {
    const name = 'a'.repeat(47);
    const p = only(root => new Tenant(root, name));
    expect(p.message).toMatch(/has 47 characters: "tenant-" \+ name must fit a 53-character Helm release name, so names have at most 46\. Shorten it\./);
    expect(platform(root => new Tenant(root, 'a'.repeat(46), { host: 'x.example.org' })).problems).toEqual([]);
  });

  test('"root" directly under the root would be tenant-root itself', () => {
    const p = only(root => new Tenant(root, 'root'));
    expect(p.message).toContain('is reserved');
    expect(p.message).toContain('Use RootTenant');
    // Deeper down the name is harmless: tenant-a-root.
    expect(platform(root => new Tenant(new Tenant(root, 'a'), 'root')).problems).toEqual([]);
  });

  test('the computed namespace fits 63 characters', () => {
    const p = only(root => {
      let t: Construct = root;
      for (let i = 0; i < 4; i++) t = new Tenant(t, `level${i}abcdefghijk`, { host: `l${i}.example.org` });
    });
    expect(p.path).toBe('platform/level0abcdefghijk/level1abcdefghijk/level2abcdefghijk/level3abcdefghijk');
    expect(p.message).toContain('"tenant-level0abcdefghijk-level1abcdefghijk-level2abcdefghijk-level3abcdefghijk" has 78 characters');
    expect(p.message).toContain('Shorten this tenant\'s or its ancestors\' names');
  });
});

describe('hosts', () => {
  test('a derived host longer than a label value is refused on the tenant that overflows', () => {
    const p = only(root => {
      const a = new Tenant(root, 'abcdefghijabcdefghij');
      const b = new Tenant(a, 'bcdefghijabcdefghij');
      new Tenant(b, 'cdefghijabcde');
    });
    expect(p.path).toBe('platform/abcdefghijabcdefghij/bcdefghijabcdefghij/cdefghijabcde');
    expect(p.message).toContain('namespace.cozystack.io/host');
    expect(p.message).toContain('at most 63 characters');
    expect(p.message).toContain('Set a shorter host');
  });

  test('an invalid host override', () => {
    const p = only(root => new Tenant(root, 'a', { host: 'Not_A_Host' }));
    expect(p.message).toMatch(/Tenant host "Not_A_Host" is not a valid DNS name: .*Use a lowercase DNS name/);
  });

  test('an invalid Kubernetes host', () => {
    const p = only(root => new KubernetesCluster(root, 'k', { host: 'bad..host' }));
    expect(p.path).toBe('platform/k');
    expect(p.message).toContain('Kubernetes host "bad..host" is not a valid DNS name');
  });

  test('setting a tenant host is allowed but warned about', () => {
    const app = tempApp();
    const root = new RootTenant(app, 'platform', { host: 'example.org' });
    new Tenant(root, 'a', { host: 'a.io' });
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      app.synth();
      const warned = spy.mock.calls.map(c => String(c[0])).join('');
      expect(warned).toContain('[WARNING] [platform/a] Tenant sets host "a.io": since Cozystack v1.5 only cluster-admins');
    } finally {
      spy.mockRestore();
    }
    expect(root.synthBundle().index.warnings).toHaveLength(1);
  });
});

describe('app names', () => {
  test.each([
    ['Kubernetes', 'My_Cluster', 42, (t: Construct, n: string) => new KubernetesCluster(t, n)],
    ['Kubernetes', 'k'.repeat(43), 42, (t: Construct, n: string) => new KubernetesCluster(t, n)],
    ['Kubernetes', 'ends-with-', 42, (t: Construct, n: string) => new KubernetesCluster(t, n)],
    ['Postgres', '9db', 44, (t: Construct, n: string) => new Postgres(t, n)],
    ['Postgres', 'p'.repeat(45), 44, (t: Construct, n: string) => new Postgres(t, n)],
  ])('%s "%s"', (kind, name, max, make) => {
    const p = only(root => make(new Tenant(root, 'a'), name));
    expect(p.path).toBe(`platform/a/${name}`);
    expect(p.message).toContain(`${kind} names must be DNS-1035 labels of at most ${max} characters`);
    expect(p.message).toMatch(/Rename it, e\.g\. "[a-z]([-a-z0-9]*[a-z0-9])?"\.$/);
  });

  test('the longest names are accepted', () => {
    expect(platform(root => {
      const a = new Tenant(root, 'a');
      new KubernetesCluster(a, 'k'.repeat(42));
      new Postgres(a, 'p'.repeat(44));
    }).problems).toEqual([]);
  });
});

describe('duplicates', () => {
  test('several clashes are reported in the order their first objects were declared', () => {
    const { problems } = platform(root => {
      const a = new Tenant(root, 'a');
      new Postgres(a, 'first');
      new Postgres(a, 'second');
      new Postgres(new Construct(a, 'h1'), 'second');
      new Postgres(new Construct(a, 'h2'), 'first');
    });
    expect(problems.map(p => p.message.match(/named "(\w+)"/)?.[1])).toEqual(['first', 'second']);
  });

  test('two objects of one kind and name in one namespace (through a helper construct)', () => {
    const p = only(root => {
      const a = new Tenant(root, 'a');
      new Postgres(a, 'db');
      new Postgres(new Construct(a, 'helper'), 'db');
    });
    expect(p.path).toBe('platform');
    expect(p.message).toBe('Two Postgres objects are named "db" in namespace tenant-a (also declared at platform/a/db, platform/a/helper/db): the second would overwrite the first on the cluster. Give one of them another name.');
  });

  test('two tenants with one name under one parent', () => {
    const p = only(root => {
      new Tenant(root, 'a');
      new Tenant(new Construct(root, 'team'), 'a');
    });
    expect(p.message).toContain('Two Tenant objects are named "a" in namespace tenant-root');
  });

  test('the same name in different kinds or namespaces is fine', () => {
    expect(platform(root => {
      const a = new Tenant(root, 'a');
      new Postgres(a, 'x');
      // Construct ids are unique per scope: a helper construct holds the second "x".
      new KubernetesCluster(new Construct(a, 'clusters'), 'x');
      new Postgres(new Tenant(root, 'b'), 'x');
    }).problems).toEqual([]);
  });

  test.each([
    ['Etcd', (t: Construct) => new EtcdService(t)],
    ['Ingress', (t: Construct) => new IngressService(t)],
    ['Monitoring', (t: Construct) => new MonitoringService(t)],
  ])('two %sServices on one tenant', (kind, make) => {
    const p = only(root => {
      const a = new Tenant(root, 'a');
      make(a);
      make(new Construct(a, 'more'));
    });
    expect(p.path).toBe(`platform/a/more/${kind}Service`);
    expect(p.message).toBe(`Tenant tenant-a already has ${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind}Service (declared at platform/a/${kind}Service): a tenant runs at most one of each cluster service. Remove this one, or move its settings to the first.`);
  });
});

describe('a Kubernetes cluster needs a running etcd provider', () => {
  test('the root is named provider but runs no etcd', () => {
    const app = tempApp();
    const root = new RootTenant(app, 'platform', { host: 'example.org' });
    new KubernetesCluster(new Tenant(root, 'a'), 'k', { nodeGroups: { md0: NODE } });
    const problems = synthProblems(app);
    expect(problems).toEqual([{
      path: 'platform/a/k',
      message: expect.stringContaining('keeps its control-plane data in the etcd of tenant-root, the nearest tenant providing etcd to tenant-a, but tenant-root does not run etcd'),
    }]);
    expect(problems[0].message).toContain('"kubernetes-k-awaiting-etcd" ConfigMap and wait forever');
    expect(problems[0].message).toContain('Add an EtcdService to the RootTenant');
  });

  test('declared later in the program still counts', () => {
    const app = tempApp();
    const root = new RootTenant(app, 'platform', { host: 'example.org' });
    const a = new Tenant(root, 'a');
    new KubernetesCluster(new Tenant(a, 'b'), 'k');
    new EtcdService(a);
    expect(synthProblems(app)).toEqual([]);
  });
});

describe('node groups', () => {
  test.each(['minReplicas', 'maxReplicas', 'instanceType', 'diskSize'])('missing %s', field => {
    const group: any = { ...NODE };
    delete group[field];
    const p = only(root => new KubernetesCluster(root, 'k', { nodeGroups: { md0: group } }));
    expect(p.path).toBe('platform/k');
    expect(p.message).toMatch(new RegExp(`^Node group "md0" is missing ${field}: Cozystack applies no defaults to node group entries.*Add ${field}, e\\.g\\. ${field}: `));
  });
});

describe('postgres', () => {
  test('the user "postgres" is reserved', () => {
    const p = only(root => new Postgres(root, 'db', { users: { postgres: {} } }));
    expect(p.message).toBe('Postgres user "postgres" is reserved for the superuser that Cozystack manages. Rename the user, e.g. "app".');
  });

  test.each([
    'archive_command', 'restore_command', 'ssl_passphrase_command', 'archive_cleanup_command', 'recovery_end_command',
    'dynamic_library_path', 'local_preload_libraries', 'session_preload_libraries', 'shared_preload_libraries',
  ])('blocked parameter %s', param => {
    const p = only(root => new Postgres(root, 'db', { postgresql: { parameters: { [param]: 'x' } } }));
    expect(p.message).toBe(`postgresql.parameters.${param} is blocked by Cozystack's postgres chart (it runs commands or loads libraries on the server). Remove it.`);
  });
});

test('reserved spec keys', () => {
  const p = only(root => new Postgres(root, 'db', { _namespace: {} } as any));
  expect(p.message).toContain('Spec key "_namespace" starts with "_"');
});

test('values the chart schema rejects name the JSON path, the schema and the fix', () => {
  const p = only(root => new KubernetesCluster(root, 'k', { version: 'v1.10' }));
  // Issue 13, fault 7: the message names the value written and the closest allowed one.
  expect(p.message).toMatch(/^spec\.version must be one of "v1\.35", .* and is "v1\.10" \(Cozystack v1\.6\.2 kubernetes chart schema\)\. Pick one of the allowed values, e\.g\. "v1\.31", the closest to "v1\.10"\.$/);
  const q = only(root => new Postgres(root, 'db', { size: 'ten gigs' }));
  expect(q.message).toContain('spec.size does not match');
});

test('two RootTenants in one App', () => {
  const app = tempApp();
  new RootTenant(app, 'one', { host: 'example.org' });
  new RootTenant(app, 'two', { host: 'example.net' });
  expect(synthProblems(app)).toEqual([{ path: 'two', message: expect.stringContaining('This App already has a RootTenant (one)') }]);
});

test('every problem of a program is reported in one run, and nothing is written', () => {
  const { app, problems } = platform(root => {
    new Tenant(root, 'Bad');
    const a = new Tenant(root, 'a');
    new Postgres(a, 'db', { users: { postgres: {} } });
    new KubernetesCluster(a, 'K8s');
    new EtcdService(a);
    new EtcdService(new Construct(a, 'x'));
  });
  expect(problems.map(p => p.path).sort()).toEqual(['platform/Bad', 'platform/a/K8s', 'platform/a/db', 'platform/a/x/EtcdService']);
  expect(fs.readdirSync(app.outdir)).toEqual([]);
});

test('a synthesis that fails leaves no output directory it created, and one that existed as it was', () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'cozy-outdir-'));
  const bad = (outdir: string) => {
    const app = new App({ outdir });
    new Tenant(new RootTenant(app, 'platform', { host: 'example.org' }), 'Bad_Name');
    expect(() => app.synth()).toThrow(/Bad_Name/);
  };
  const fresh = path.join(parent, 'dist');
  bad(fresh);
  expect(fs.existsSync(fresh)).toBe(false);
  const existing = path.join(parent, 'existing');
  fs.mkdirSync(existing);
  bad(existing);
  expect(fs.readdirSync(existing)).toEqual([]);
  fs.rmSync(parent, { recursive: true, force: true });
});

test('a misspelt field of a kind v0.41 did not have is reported with the field it resembles, beside every other problem', () => {
  const { problems } = platform(root => {
    new SeaweedFSService(root);
    const t = new Tenant(root, 'shop');
    new Redis(t, 'cache', { replicas: 2, sise: '2Gi' } as any);
    new MariaDB(t, 'maria', { sise: '2Gi' } as any);
    new Bucket(t, 'media', { lockng: true } as any);
    new Postgres(t, 'db', { replics: 2 } as any);
  });
  expect(problems.map(p => `${p.path}: ${p.message.replace(/ \(v1\.6\.2\).*did you mean/, ' ... did you mean')}`)).toEqual([
    'platform/shop/cache: spec.sise is not a field of Cozystack\'s redis chart ... did you mean spec.size?',
    'platform/shop/maria: spec.sise is not a field of Cozystack\'s mariadb chart ... did you mean spec.size?',
    'platform/shop/media: spec.lockng is not a field of Cozystack\'s bucket chart ... did you mean spec.locking?',
    'platform/shop/db: spec.replics is not a field of Cozystack\'s postgres chart ... did you mean spec.replicas?',
  ]);
});

test('when a synthesis fails, the platform\'s warnings are printed too', () => {
  const app = tempApp();
  const root = new RootTenant(app, 'platform', { host: 'example.org' });
  const t = new Tenant(root, 'shop');
  new Postgres(t, 'db', { backup: { enabled: true, schedule: '0 2 * * *' } } as any);
  new Tenant(root, 'Bad_Name');
  const written: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => { written.push(String(chunk)); return true; });
  try {
    expect(() => app.synth()).toThrow(/Bad_Name/);
  } finally {
    spy.mockRestore();
  }
  expect(written.join('')).toContain('[WARNING] [platform/shop/db] spec.backup.schedule = "0 2 * * *" has five fields');
});
