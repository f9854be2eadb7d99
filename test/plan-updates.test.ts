/**
 * `plan` stops updates that destroy data or can never apply (issue 13, fault 6), each with
 * its reason, and lets them through only with `--allow-destroy`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Captured, NODE_GROUP, PlatformSpec, TempDirs, writePlatform } from './support/bundles';
import { run } from '../src/cli/main';
import { DESTRUCTIVE_UPDATE_RULES, destructiveUpdates } from '../src/domain/destructive-updates';

const dirs = new TempDirs();
afterAll(() => dirs.cleanup());

async function plan(previous: PlatformSpec, current: PlatformSpec, ...args: string[]) {
  const c = new Captured();
  const code = await run(['plan', '--from', writePlatform(dirs.make(), previous), '--bundle', writePlatform(dirs.make(), current), '--format', 'json', ...args], c.io);
  return { code, plan: code === 1 ? undefined : JSON.parse(c.stdout), stderr: c.stderr };
}

function withDb(props: Record<string, unknown>): PlatformSpec {
  return { rootModules: ['etcd'], tenants: [{ name: 'shop', postgres: { db1: { size: '10Gi', ...props } } }] };
}

function withCluster(version: string): PlatformSpec {
  return { rootModules: ['etcd'], tenants: [{ name: 'shop', kubernetes: { k: { version, nodeGroups: { md0: NODE_GROUP } } } }] };
}

// rule: postgres/database-removed
test('removing a database from a Postgres spec drops it: exit 2, the reason, and --allow-destroy passes it', async () => {
  const before = withDb({ users: { app: {} }, databases: { app: { roles: { admin: ['app'] } }, logs: {} } });
  const after = withDb({ users: { app: {} }, databases: { app: { roles: { admin: ['app'] } } } });
  const refused = await plan(before, after);
  expect(refused.code).toBe(2);
  expect(refused.plan.destructive).toEqual([expect.objectContaining({
    type: 'data-drop',
    key: 'Postgres/tenant-shop/db1',
    allowed: false,
    summary: expect.stringContaining('DROP DATABASE "logs" WITH (FORCE)'),
  })]);
  const allowed = await plan(before, after, '--allow-destroy', 'Postgres/tenant-shop/db1');
  expect(allowed.code).toBe(0);
});

// rule: postgres/user-removed
test('removing a user from a Postgres spec drops the role and what it owns', async () => {
  const refused = await plan(withDb({ users: { app: {}, report: {} } }), withDb({ users: { app: {} } }));
  expect(refused.code).toBe(2);
  expect(refused.plan.destructive[0].summary).toContain('DROP OWNED BY and DROP USER "report"');
});

// rule: kubernetes/version-downgrade
test('a Kubernetes version downgrade never applies', async () => {
  const refused = await plan(withCluster('v1.35'), withCluster('v1.34'));
  expect(refused.code).toBe(2);
  expect(refused.plan.destructive).toEqual([expect.objectContaining({
    type: 'never-applies', key: 'Kubernetes/tenant-shop/k', summary: expect.stringContaining('version goes down from v1.35 to v1.34'),
  })]);
});

// rule: kubernetes/version-skip
test('a Kubernetes upgrade that skips a minor version never applies, and names the version to go to first', async () => {
  const refused = await plan(withCluster('v1.33'), withCluster('v1.35'));
  expect(refused.code).toBe(2);
  expect(refused.plan.destructive[0].summary).toContain('Go to v1.34 first');
  expect((await plan(withCluster('v1.33'), withCluster('v1.34'))).code).toBe(0);
});

// rule: etcd/size-shrink
// rule: etcd/storage-class
test('etcd: a volume shrink and a storage class change never apply; growth does', () => {
  expect(destructiveUpdates('v1.6.2', 'etcd', { size: '10Gi' }, { size: '4Gi' }).map(f => f.rule)).toEqual(['etcd/size-shrink']);
  expect(destructiveUpdates('v1.6.2', 'etcd', { size: '4Gi' }, { size: '10Gi' })).toEqual([]);
  expect(destructiveUpdates('v1.6.2', 'etcd', {}, { storageClass: 'fast' }).map(f => f.rule)).toEqual(['etcd/storage-class']);
});

// rule: seaweedfs/topology
// rule: vm-disk/frozen
test('SeaweedFS topology changes are refused by the chart; VM disk changes are ignored by it', () => {
  expect(destructiveUpdates('v1.6.2', 'seaweedfs', { topology: 'Simple' }, { topology: 'MultiZone' }).map(f => f.rule)).toEqual(['seaweedfs/topology']);
  expect(destructiveUpdates('v1.6.2', 'vm-disk', { storage: '5Gi' }, { storage: '10Gi' }).map(f => f.rule)).toEqual(['vm-disk/frozen']);
  expect(destructiveUpdates('v1.6.2', 'vm-disk', { storage: '5Gi' }, { storage: '5Gi' })).toEqual([]);
});

test('docs/chart-rules.md lists exactly these rules', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'chart-rules.md'), 'utf8');
  const listed = [...doc.matchAll(/^\| \*\*([a-z0-9-]+\/[a-z0-9-]+)\*\* \|/gm)].map(m => m[1]);
  expect(listed.sort()).toEqual([...DESTRUCTIVE_UPDATE_RULES].sort());
});
