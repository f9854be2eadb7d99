/**
 * The topology-report benchmark (issue 6): synthesizes a platform of N tenants
 * (200 by default), then renders its SVG, Mermaid and Markdown and prints the time
 * of each. A benchmark, not a test: it fails nothing.
 *
 *   npx ts-node -P bench/tsconfig.json bench/report-bench.ts [tenants] [--out file.svg]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import {
  EtcdService, IngressService, KubernetesCluster, MonitoringService, Postgres, RootTenant, Tenant,
} from '../src';
import { parseTopology } from '../src/bundle/read';
import { renderTopologyMarkdown, renderTopologyMermaid, renderTopologySvg, Topology } from '../src/report';

/**
 * Declares a deterministic platform of `tenants` tenants below the root: a quarter are
 * customers under the root, the others projects three to a parent (level by level, at most depth 5);
 * every fifth tenant runs its own etcd, ingress and monitoring; every tenant has one or
 * two apps (a KubernetesCluster every third tenant, Postgres otherwise).
 */
export function buildWidePlatform(app: App, tenants: number): RootTenant {
  const root = new RootTenant(app, 'platform', { host: 'example.org' });
  new EtcdService(root);
  new IngressService(root);
  new MonitoringService(root);
  const declared: Array<{ t: Tenant; depth: number }> = [];
  const customers = Math.max(1, Math.ceil(tenants / 4));
  for (let i = 0; i < tenants; i++) {
    let parent: RootTenant | Tenant = root;
    let depth = 1;
    if (i >= customers) {
      // Projects go three to a parent, in declaration order, so the tree fills level by level.
      let p = Math.floor((i - 1) / 3);
      while (p > 0 && declared[p].depth >= 5) p = Math.floor(p / 3);
      parent = declared[p].t;
      depth = declared[p].depth + 1;
    }
    const t = new Tenant(parent, `t${i}`);
    declared.push({ t, depth });
    if (i % 5 === 0) {
      new EtcdService(t);
      new IngressService(t);
      new MonitoringService(t);
    }
    if (i % 3 === 0) {
      new KubernetesCluster(t, `k${i}`, {
        nodeGroups: { md0: { minReplicas: 1, maxReplicas: 3, instanceType: 'u1.medium', diskSize: '20Gi' } },
      });
    }
    if (i % 3 !== 0 || i % 2 === 0) new Postgres(t, `db${i}`, { replicas: 2, size: '10Gi' });
  }
  return root;
}

/** Synthesizes {@link buildWidePlatform} into a temporary folder and returns its topology.json. */
export function synthWidePlatform(tenants: number): Topology {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cozy-report-'));
  try {
    const app = new App({ outdir });
    buildWidePlatform(app, tenants);
    app.synth();
    const file = path.join(outdir, 'topology.json');
    return parseTopology(fs.readFileSync(file, 'utf8'), file);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function time<T>(f: () => T): { value: T; ms: number } {
  const start = process.hrtime.bigint();
  const value = f();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

function main(): void {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? args[outAt + 1] : undefined;
  const n = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--out') ?? 200);
  const synth = time(() => synthWidePlatform(n));
  const topology = synth.value;
  const svg = time(() => renderTopologySvg(topology));
  const svgAll = time(() => renderTopologySvg(topology, { maxTenants: Infinity, maxDepth: Infinity, maxAppsPerTenant: Infinity }));
  const mermaid = time(() => renderTopologyMermaid(topology));
  const markdown = time(() => renderTopologyMarkdown(topology));
  const kib = (s: string) => `${(Buffer.byteLength(s) / 1024).toFixed(0)} KiB`;
  console.log(`platform: ${topology.tenants.length} tenants (root included), ${topology.apps.length} apps; synth ${synth.ms.toFixed(0)} ms`);
  console.log(`svg (collapsed, default options): ${svg.ms.toFixed(1)} ms, ${kib(svg.value)}`);
  console.log(`svg (everything drawn):           ${svgAll.ms.toFixed(1)} ms, ${kib(svgAll.value)}`);
  console.log(`mermaid (collapsed):              ${mermaid.ms.toFixed(1)} ms, ${kib(mermaid.value)}`);
  console.log(`markdown:                         ${markdown.ms.toFixed(1)} ms, ${kib(markdown.value)}`);
  if (out) {
    fs.writeFileSync(out, svg.value);
    console.log(`wrote ${out}`);
  }
}

if (require.main === module) main();
