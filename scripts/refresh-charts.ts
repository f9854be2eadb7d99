/**
 * Refreshes `charts/` from Cozystack's chart data in `../shared/cozystack`.
 *
 * For each Cozystack version and chart we keep one JSON file holding the chart's
 * default values (what Helm merges under the user's values) and its values schema,
 * with upstream prose removed: no `description`, no comments. A clone of this
 * repository alone builds and tests from that copy; this script only runs when the
 * shared data is present.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

const SHARED = process.env.COZYSTACK_SHARED_DIR ?? path.resolve(__dirname, '..', '..', 'shared', 'cozystack');
const OUT = path.resolve(__dirname, '..', 'charts');
const CHARTS = ['tenant', 'etcd', 'ingress', 'monitoring', 'kubernetes', 'postgres'];

/** Chart data folders: the newest release at the top of shared/cozystack, older ones in subfolders. */
const VERSIONS: Array<{ version: string; dir: string; fallback?: string }> = [
  { version: 'v1.6.2', dir: '.' },
  { version: 'v0.41.11', dir: 'v0.41.11' },
  // `main` only carries the charts that differ from v1.6.2; the rest are byte-identical upstream.
  { version: 'main-3c780ac', dir: 'main-3c780ac', fallback: '.' },
];

/** Keys whose values are upstream prose, dropped recursively from schemas. */
const PROSE = new Set(['description', 'title', '$comment']);

function stripProse(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripProse);
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      // `properties` maps field names to schemas: a field may itself be called "description".
      if (PROSE.has(k) && typeof v === 'string') continue;
      out[k] = k === 'properties' ? mapValues(v as Record<string, unknown>, stripProse) : stripProse(v);
    }
    return out;
  }
  return node;
}

function mapValues(o: Record<string, unknown>, f: (v: unknown) => unknown) {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));
}

function main() {
  if (!fs.existsSync(SHARED)) {
    console.log(`refresh-charts: ${SHARED} not found; keeping the committed copy in charts/.`);
    return;
  }
  let written = 0;
  for (const { version, dir, fallback } of VERSIONS) {
    const outDir = path.join(OUT, version);
    fs.mkdirSync(outDir, { recursive: true });
    for (const chart of CHARTS) {
      let base = path.join(SHARED, dir);
      if (!fs.existsSync(path.join(base, `${chart}.values.schema.json`))) {
        if (!fallback) throw new Error(`${version}: ${chart}.values.schema.json is missing in ${base}`);
        base = path.join(SHARED, fallback);
      }
      const schema = JSON.parse(fs.readFileSync(path.join(base, `${chart}.values.schema.json`), 'utf8'));
      // YAML 1.1, as Helm (Go) reads values.yaml.
      const values = YAML.parse(fs.readFileSync(path.join(base, `${chart}.values.yaml`), 'utf8'), { version: '1.1' }) ?? {};
      const data = { chart, version, values, schema: stripProse(schema) };
      fs.writeFileSync(path.join(outDir, `${chart}.json`), JSON.stringify(data, null, 2) + '\n');
      written++;
    }
  }
  console.log(`refresh-charts: wrote ${written} chart files under charts/ from ${SHARED}`);
}

main();
