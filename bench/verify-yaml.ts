/**
 * Checks that the library's fast YAML writer (src/private/yaml.ts) gives the same bytes
 * as the yaml library path it stands in for: on every object of a generated platform,
 * on hand-picked edge cases, and on random documents.
 *
 *   ts-node -P bench/tsconfig.json bench/verify-yaml.ts [tenants] [random documents]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as fc from 'fast-check';
import { buildPlatform } from './generator';
import { check, documentArbitrary, edgeDocs } from '../test/support/yaml-cases';

function main(): void {
  const tenants = Number(process.argv[2] ?? 2000);
  const runs = Number(process.argv[3] ?? 3000);
  let n = check(edgeDocs(), 'edge cases');

  fc.assert(fc.property(documentArbitrary(), docs => { check(docs, 'random'); }), { numRuns: runs });
  n += runs;

  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-yaml-'));
  try {
    const app = new App({ outdir });
    const { root } = buildPlatform(app, tenants);
    const manifests = root.node.findAll().filter((c: any) => typeof c.toJson === 'function' && c.kind).map((c: any) => c.toJson());
    n += check(manifests, `a platform of ${tenants} tenants`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  console.log(`fast YAML = yaml library YAML on ${n} documents`);
}

main();
