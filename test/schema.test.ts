/**
 * Every emitted spec validates against Cozystack's chart schema after the chart's
 * defaults are deep-merged under it, as Helm does with values.yaml and
 * values.schema.json. The check here is independent of the library's own.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import * as YAML from 'yaml';
import { coalesce } from './support/helm';
import { richPlatform } from './support/rich-platform';
import { testAgainstShared } from './support/shared';

const CHARTS = path.join(__dirname, '..', 'charts');
const CHART_OF: Record<string, string> = {
  Tenant: 'tenant', Etcd: 'etcd', Ingress: 'ingress', Monitoring: 'monitoring', Kubernetes: 'kubernetes', Postgres: 'postgres',
};

function validatorFor(release: string, chart: string) {
  const data = JSON.parse(fs.readFileSync(path.join(CHARTS, release, `${chart}.json`), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(data.schema);
  return (spec: any) => {
    const ok = validate(coalesce(data.values, spec));
    return ok ? [] : validate.errors!.map(e => `${e.instancePath} ${e.message}`);
  };
}


test('every kind the library emits validates against its chart (v1.6.2)', () => {
  const { root } = richPlatform();
  const kinds = new Set<string>();
  for (const w of root.synthBundle().waves) {
    for (const doc of YAML.parseAllDocuments(w.yaml, { version: '1.1' }).map(d => d.toJS())) {
      kinds.add(doc.kind);
      expect({ object: `${doc.kind} ${doc.metadata.namespace}/${doc.metadata.name}`, errors: validatorFor('v1.6.2', CHART_OF[doc.kind])(doc.spec) })
        .toEqual({ object: `${doc.kind} ${doc.metadata.namespace}/${doc.metadata.name}`, errors: [] });
    }
  }
  expect([...kinds].sort()).toEqual(['Etcd', 'Ingress', 'Kubernetes', 'Monitoring', 'Postgres', 'Tenant']);
});

test('the independent check does catch what the schema forbids', () => {
  expect(validatorFor('v1.6.2', 'kubernetes')({ nodeGroups: { md0: { minReplicas: 1 } } })).not.toEqual([]);
  expect(validatorFor('v1.6.2', 'postgres')({ replicas: 'two' })).not.toEqual([]);
});

test('the chart copy carries no upstream prose', () => {
  for (const release of fs.readdirSync(CHARTS)) {
    // Chart data only: validators/ holds the code generated from it.
    for (const f of fs.readdirSync(path.join(CHARTS, release)).filter(x => x.endsWith('.json'))) {
      const walk = (n: any, where: string): void => {
        if (Array.isArray(n)) return n.forEach((x, i) => walk(x, `${where}[${i}]`));
        if (n && typeof n === 'object') {
          for (const [k, v] of Object.entries(n)) {
            if ((k === 'description' || k === 'title') && typeof v === 'string') throw new Error(`${release}/${f}: prose at ${where}.${k}`);
            walk(v, `${where}.${k}`);
          }
        }
      };
      walk(JSON.parse(fs.readFileSync(path.join(CHARTS, release, f), 'utf8')).schema, '$');
    }
  }
});

testAgainstShared('the chart copy matches ../shared/cozystack', 'cozystack', shared => {
  for (const chart of Object.values(CHART_OF)) {
    const copy = JSON.parse(fs.readFileSync(path.join(CHARTS, 'v1.6.2', `${chart}.json`), 'utf8'));
    const values = YAML.parse(fs.readFileSync(path.join(shared, `${chart}.values.yaml`), 'utf8'), { version: '1.1' }) ?? {};
    expect(copy.values).toEqual(values);
    const schema = JSON.parse(fs.readFileSync(path.join(shared, `${chart}.values.schema.json`), 'utf8'));
    expect(Object.keys(copy.schema.properties)).toEqual(Object.keys(schema.properties));
  }
});
