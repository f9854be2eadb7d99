/**
 * Real bundles for CLI tests, synthesized with the library from a small description
 * of a platform, so that a pair (previous, current) differs by exactly what a test says.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { buildPlatform } from '../../examples/platform';
import {
  EtcdService, IngressService, KubernetesCluster, KubernetesClusterProps, MonitoringService, Postgres, PostgresProps,
  RootTenant, Tenant,
} from '../../src';

export interface ModuleSpec {
  /** Tuning values; any given value makes the library emit the module's tuning object. */
  readonly size?: string;
  readonly replicas?: number;
}

export interface TenantSpec {
  readonly name: string;
  readonly host?: string;
  readonly etcd?: ModuleSpec | boolean;
  readonly ingress?: ModuleSpec | boolean;
  readonly monitoring?: ModuleSpec | boolean;
  readonly seaweedfs?: boolean;
  readonly kubernetes?: { [name: string]: KubernetesClusterProps };
  /** What to place in a cluster's workloads scope, by cluster name. */
  readonly workloads?: { [cluster: string]: (cluster: KubernetesCluster) => void };
  readonly postgres?: { [name: string]: PostgresProps };
  readonly tenants?: TenantSpec[];
}

export interface PlatformSpec {
  /** @default "example.org" */
  readonly host?: string;
  /** Root modules. @default etcd, ingress and monitoring on */
  readonly rootModules?: Array<'etcd' | 'ingress' | 'monitoring'>;
  readonly tenants?: TenantSpec[];
}

export const NODE_GROUP = { minReplicas: 1, maxReplicas: 3, instanceType: 'u1.medium', diskSize: '20Gi' };

function addModules(t: Tenant, s: TenantSpec): void {
  const props = (m: ModuleSpec | boolean | undefined) => (typeof m === 'object' ? { ...m } : {});
  if (s.etcd) new EtcdService(t, props(s.etcd));
  if (s.ingress) new IngressService(t, { replicas: typeof s.ingress === 'object' ? s.ingress.replicas : undefined });
  if (s.monitoring) new MonitoringService(t, {});
}

function addTenant(parent: RootTenant | Tenant, s: TenantSpec): void {
  const t = new Tenant(parent, s.name, { host: s.host, seaweedfs: s.seaweedfs });
  addModules(t, s);
  for (const [name, props] of Object.entries(s.kubernetes ?? {})) {
    const cluster = new KubernetesCluster(t, name, props);
    s.workloads?.[name]?.(cluster);
  }
  for (const [name, props] of Object.entries(s.postgres ?? {})) new Postgres(t, name, props);
  for (const child of s.tenants ?? []) addTenant(t, child);
}

/** Synthesizes a platform into `dir` (created) and returns `dir`. */
export function writePlatform(dir: string, spec: PlatformSpec): string {
  fs.mkdirSync(dir, { recursive: true });
  const app = new App({ outdir: dir });
  const root = new RootTenant(app, 'platform', { host: spec.host ?? 'example.org' });
  const modules = spec.rootModules ?? ['etcd', 'ingress', 'monitoring'];
  if (modules.includes('etcd')) new EtcdService(root);
  if (modules.includes('ingress')) new IngressService(root);
  if (modules.includes('monitoring')) new MonitoringService(root);
  for (const t of spec.tenants ?? []) addTenant(root, t);
  return synthQuietly(app, dir);
}

/**
 * Synthesizes the README's example platform (examples/platform.ts) into `dir`; `extra`
 * may add to the workloads of its cluster tenant-foo/cluster1.
 */
export function writeExample(dir: string, extra?: (cluster: KubernetesCluster) => void): string {
  fs.mkdirSync(dir, { recursive: true });
  const app = new App({ outdir: dir });
  const root = buildPlatform(app);
  const cluster = root.node.findAll().find((c): c is KubernetesCluster => c instanceof KubernetesCluster && c.node.path === 'platform/foo/cluster1');
  if (!cluster) throw new Error('The example platform has no cluster platform/foo/cluster1 any more');
  extra?.(cluster);
  return synthQuietly(app, dir);
}

/**
 * Edits the manifests of every tenant-cluster bundle of a synthesized bundle in place and
 * re-hashes them in index.json, as a later version of the library would have written them.
 */
export function editClusterBundles(dir: string, edit: (manifest: any) => void): string {
  const indexPath = path.join(dir, 'index.json');
  const index = JSON.parse(fs.readFileSync(indexPath, 'utf8'));
  for (const c of index.clusters ?? []) {
    for (const file of c.files) {
      const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8')).map(d => d.toJS()).filter(d => d);
      docs.forEach(edit);
      const text = docs.map(d => YAML.stringify(d)).join('---\n');
      fs.writeFileSync(path.join(dir, file), text);
      index.files[file] = createHash('sha256').update(text).digest('hex');
    }
  }
  fs.writeFileSync(indexPath, JSON.stringify(index, null, 2));
  return dir;
}

function synthQuietly(app: App, dir: string): string {
  const stderr = process.stderr.write;
  // The library prints synthesis warnings; tests read them from index.json instead.
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    app.synth();
  } finally {
    process.stderr.write = stderr;
  }
  return dir;
}

/** A fresh temporary directory, removed by `cleanup()`. */
export class TempDirs {
  private readonly dirs: string[] = [];
  public make(prefix = 'cozy-cli-'): string {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    this.dirs.push(d);
    return d;
  }
  public cleanup(): void {
    for (const d of this.dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  }
}

/** Captures what a command writes. */
export class Captured {
  public stdout = '';
  public stderr = '';
  public readonly io = {
    out: (s: string) => { this.stdout += s; },
    err: (s: string) => { this.stderr += s; },
  };
}
