/**
 * The real Helm validates every kind of the catalogue as the library emits it: each object
 * of examples/catalogue.ts goes through `helm template` of a chart made of Cozystack's
 * values.yaml and values.schema.json (no templates) for that kind's chart, which coalesces the
 * chart defaults and checks the schema as it does on the cluster (as test/helm.test.ts does for
 * the first six kinds).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { buildCatalogue } from '../examples/catalogue';
import { ensureHelm } from './support/kubectl';
import { tempApp } from './support/synth';
import { REGISTRY } from '../src/domain/registry';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-catalogue-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A chart that is only Cozystack's values and schema of one release. */
function chartDir(chart: string): string {
  const dir = path.join(work, chart);
  if (!fs.existsSync(dir)) {
    const data = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'charts', 'v1.6.2', `${chart}.json`), 'utf8'));
    fs.mkdirSync(path.join(dir, 'templates'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'Chart.yaml'), `apiVersion: v2\nname: ${chart}\nversion: 0.0.0\n`);
    fs.writeFileSync(path.join(dir, 'values.yaml'), JSON.stringify(data.values));
    fs.writeFileSync(path.join(dir, 'values.schema.json'), JSON.stringify(data.schema));
  }
  return dir;
}

/** Helm's complaint about the spec as a release's values, or '' when it accepts them. */
function helmCheck(chart: string, spec: unknown): string {
  const values = path.join(work, `values-${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(values, YAML.stringify(spec ?? {}));
  try {
    execFileSync(ensureHelm(), ['template', 'r', chartDir(chart), '-f', values], { stdio: 'pipe' });
    return '';
  } catch (e: any) {
    return String(e.stderr ?? e.message);
  }
}

const root = buildCatalogue(tempApp());
const objects: any[] = root.synthBundle().waves.flatMap(w => YAML.parseAllDocuments(w.yaml, { version: '1.1' }).map(d => d.toJS()));

test('the catalogue emits every kind of the registry but Info (which every tenant gets from its chart)', () => {
  const emitted = new Set(objects.map(o => o.kind));
  expect(REGISTRY.all().map(k => k.kind).filter(k => !emitted.has(k))).toEqual(['Info']);
});

test('helm accepts the spec of every object of the catalogue against its kind\'s chart', () => {
  const results = objects.map(o => ({ object: `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`, helm: helmCheck(REGISTRY.get(o.kind).chart, o.spec) }));
  expect(results.filter(r => r.helm !== '')).toEqual([]);
  expect(results.length).toBeGreaterThanOrEqual(30);
});

test('helm refuses what the library refuses for the new kinds (the check can fail)', () => {
  expect(helmCheck('redis', { replicas: 'two' })).toMatch(/replicas/);
  expect(helmCheck('mariadb', { users: { app: { maxUserConnections: 10 } } })).toMatch(/password|required/);
  expect(helmCheck('kafka', { topics: [{ name: 'x', partitions: 1, replicas: 1 }] })).toMatch(/config|required/);
});
