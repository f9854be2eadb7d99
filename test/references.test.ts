/**
 * References between apps are objects (issue 12): KubernetesNodes takes its KubernetesCluster,
 * VMInstance its VMDisks. A reference across tenants, to a construct of the wrong kind, or
 * written as a plain name is refused at synth with the path, the wrong value, the rule and the fix.
 */
import { createHash } from 'crypto';
import { Testing } from 'cdk8s';
import { EtcdService, KubernetesCluster, KubernetesNodes, Postgres, RootTenant, Tenant, VirtualPrivateCloud, VMDisk, VMInstance } from '../src';
import { synthProblems, tempApp } from './support/synth';

function platform() {
  const app = tempApp();
  const root = new RootTenant(app, 'platform', { host: 'example.org' });
  new EtcdService(root);
  const a = new Tenant(root, 'a');
  const b = new Tenant(root, 'b');
  return { app, root, a, b };
}

test('nodes of a cluster in another tenant are refused', () => {
  const { app, a, b } = platform();
  const cluster = new KubernetesCluster(a, 'k');
  new KubernetesNodes(b, 'pool', { kubernetesCluster: cluster });
  expect(synthProblems(app)).toEqual([{
    path: 'platform/b/pool',
    message: 'kubernetesCluster refers to the Kubernetes "k" (platform/a/k) in tenant-a, but this app lives in tenant-b: the chart finds the object in its own namespace only. Declare both in the same tenant.',
  }]);
});

test('a reference to an app of the wrong kind is refused, naming what was passed', () => {
  const { app, a } = platform();
  const db = new Postgres(a, 'db');
  new KubernetesNodes(a, 'pool', { kubernetesCluster: db as any, name: 'db-pool' });
  const disk = new KubernetesCluster(a, 'k');
  new VMInstance(a, 'vm', { attachedDisks: [{ disk: disk as any }] });
  expect(synthProblems(app)).toEqual([
    { path: 'platform/a/pool', message: expect.stringContaining('kubernetesCluster is the Postgres "db" (platform/a/db), not a KubernetesCluster of this library') },
    { path: 'platform/a/vm', message: expect.stringContaining('attachedDisks[0].disk is the Kubernetes "k" (platform/a/k), not a VMDisk of this library') },
  ]);
  expect(synthProblems(app)[0].message).toMatch(/Pass the KubernetesCluster you declared\.$/);
});

test('a name written as a string instead of a reference is refused with the prop to use', () => {
  const { app, a } = platform();
  const cluster = new KubernetesCluster(a, 'k');
  new KubernetesNodes(a, 'pool', { kubernetesCluster: cluster, cluster: 'other' });
  new VMInstance(a, 'vm', { disks: [{ name: 'system' }] });
  expect(synthProblems(app)).toEqual([
    { path: 'platform/a/pool', message: expect.stringContaining('spec.cluster is set as a plain name') },
    { path: 'platform/a/vm', message: expect.stringContaining('Pass the VMDisk in attachedDisks instead.') },
  ]);
});

test('VMInstance writes its disks in boot order with their bus', () => {
  const { app, root, a } = platform();
  const system = new VMDisk(a, 'system', { source: { image: { name: 'ubuntu' } }, storage: '20Gi' });
  const data = new VMDisk(a, 'data-disk', { name: 'data' });
  new VMInstance(a, 'vm', { instanceType: 'u1.medium', attachedDisks: [{ disk: system }, { disk: data, bus: 'sata' }] });
  expect(synthProblems(app)).toEqual([]);
  expect(Testing.synth(root).find(o => o.kind === 'VMInstance').spec.disks).toEqual([{ name: 'system' }, { bus: 'sata', name: 'data' }]);
});

test('KubernetesNodes names follow the chart: <cluster>-<pool>, not a node group of the cluster', () => {
  const { app, a } = platform();
  const cluster = new KubernetesCluster(a, 'k', {
    nodeGroups: { md0: { minReplicas: 1, maxReplicas: 2, instanceType: 'u1.medium', diskSize: '20Gi' } },
  });
  const ok = new KubernetesNodes(a, 'gpu', { kubernetesCluster: cluster });
  new KubernetesNodes(a, 'named', { kubernetesCluster: cluster, name: 'workers' });
  new KubernetesNodes(a, 'md0', { kubernetesCluster: cluster });
  expect(ok.name).toBe('k-gpu');
  expect(synthProblems(app)).toEqual([
    { path: 'platform/a/named', message: expect.stringContaining('does not start with "k-"') },
    { path: 'platform/a/md0', message: expect.stringContaining('pool "md0" has the name of a node group of Kubernetes "k"') },
  ]);
});

test('a VM joins a subnet of a VirtualPrivateCloud by the network name the chart gives it', () => {
  const { app, root, a } = platform();
  const vpc = new VirtualPrivateCloud(a, 'net', { subnets: [{ name: 'private', cidr: '172.16.0.0/24' }] });
  new VMInstance(a, 'vm', { networks: [{ name: vpc.subnetNetworkName('private') }] });
  expect(synthProblems(app)).toEqual([]);
  // packages/apps/vpc/templates/vpc.yaml:4,47 (sha256 of the namespace, release and subnet).
  const hex = (s: string) => createHash('sha256').update(s).digest('hex');
  const vpcId = `vpc-${hex('tenant-a/virtualprivatecloud-net').slice(0, 6)}`;
  expect(vpc.vpcId).toBe(vpcId);
  expect(Testing.synth(root).find(o => o.kind === 'VMInstance').spec.networks).toEqual([{ name: `subnet-${hex(`tenant-a/${vpcId}/private`).slice(0, 8)}` }]);
  expect(() => vpc.subnetNetworkName('public')).toThrow(/has no subnet "public" \(it has "private"\)/);
});

test('a VMDisk cloned from another takes it as an object; a plain name or a disk of another tenant is refused', () => {
  const { app, root, a, b } = platform();
  const base = new VMDisk(a, 'base', { source: { image: { name: 'ubuntu' } } });
  new VMDisk(a, 'copy', { cloneOf: base, storage: '20Gi' });
  expect(synthProblems(app)).toEqual([]);
  expect(Testing.synth(root).find(o => o.kind === 'VMDisk' && o.metadata.name === 'copy').spec.source).toEqual({ disk: { name: 'base' } });
  new VMDisk(b, 'far', { cloneOf: base });
  new VMDisk(a, 'by-name', { source: { disk: { name: 'base' } } });
  expect(synthProblems(app)).toEqual([
    { path: 'platform/a/by-name', message: expect.stringContaining('Pass the VMDisk in cloneOf instead.') },
    { path: 'platform/b/far', message: expect.stringContaining('cloneOf refers to the VMDisk "base" (platform/a/base) in tenant-a, but this app lives in tenant-b') },
  ]);
});
