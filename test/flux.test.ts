/**
 * GitOps delivery: Flux Kustomizations per wave, chained, waiting, and never pruning
 * Cozystack objects; valid against Flux's CRD schemas; each unit builds with kustomize
 * to exactly its wave's objects.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { buildPlatform } from '../examples/platform';
import { FluxSourceKind, RootTenant } from '../src';
import { ensureKubectl } from './support/kubectl';
import { synthProblems, tempApp } from './support/synth';

const FLUX = { sourceKind: FluxSourceKind.GIT_REPOSITORY, sourceName: 'platform', path: './dist/' };

/** The example platform, delivered by Flux. */
function fluxExample(): { app: App; root: RootTenant } {
  const app = tempApp();
  const root = buildPlatform(app, { flux: FLUX });
  app.synth();
  return { app, root };
}

const docsOf = (file: string) => YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'), { version: '1.1' }).map(d => d.toJS());

test('one Kustomization per wave, chained by dependsOn, waiting; then one for the tenant clusters', () => {
  const { app } = fluxExample();
  const top = docsOf(path.join(app.outdir, 'flux/kustomizations.k8s.yaml'));
  const row = (k: any) => [k.metadata.namespace, k.metadata.name, k.spec.path, k.spec.dependsOn?.[0]?.name ?? null, k.spec.wait, k.spec.prune];
  expect(top.map(row)).toEqual([
    ['flux-system', 'cozystack-wave-00', './dist/flux/wave-00', null, true, true],
    ['flux-system', 'cozystack-wave-01', './dist/flux/wave-01', 'cozystack-wave-00', true, true],
    ['flux-system', 'cozystack-wave-02', './dist/flux/wave-02', 'cozystack-wave-01', true, true],
    ['flux-system', 'cozystack-clusters', './dist/flux/clusters', 'cozystack-wave-02', true, true],
  ]);
  const clusters = docsOf(path.join(app.outdir, 'flux/clusters.k8s.yaml'));
  expect(clusters).toEqual([{
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'cozystack-cluster-tenant-foo-cluster1', namespace: 'tenant-foo' },
    spec: {
      interval: '10m',
      timeout: '30m',
      path: './dist/flux/cluster-tenant-foo-cluster1',
      prune: true,
      wait: true,
      sourceRef: { kind: 'GitRepository', name: 'platform', namespace: 'flux-system' },
      kubeConfig: { secretRef: { name: 'kubernetes-cluster1-admin-kubeconfig', key: 'super-admin.conf' } },
    },
  }]);
});

test('the Kustomizations validate against Flux\'s schemas (and the check can fail)', () => {
  const { app } = fluxExample();
  const all = [...docsOf(path.join(app.outdir, 'flux/kustomizations.k8s.yaml')), ...docsOf(path.join(app.outdir, 'flux/clusters.k8s.yaml'))];
  const validate = (docs: any[]) => JSON.parse(execFileSync(process.execPath, [path.join(__dirname, 'support', 'validate-flux.mjs')], {
    input: JSON.stringify(docs), cwd: path.join(__dirname, '..'),
  }).toString());
  expect(validate(all)).toEqual([]);
  const broken = JSON.parse(JSON.stringify(all[0]));
  broken.spec.prune = 'yes';
  delete broken.spec.sourceRef.kind;
  expect(validate([broken])).toEqual([expect.stringContaining('must be boolean')]);
});

test('every Cozystack object is protected from Flux pruning; tenant-cluster objects are not Cozystack objects', () => {
  const { app, root } = fluxExample();
  for (const w of root.synthBundle().waves) {
    for (const d of docsOf(path.join(app.outdir, w.file))) {
      expect(d.metadata.annotations).toEqual({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
    }
  }
  // Without flux, no annotation.
  const plain = tempApp();
  const r = buildPlatform(plain);
  expect(r.synthBundle().waves.flatMap(w => YAML.parseAllDocuments(w.yaml).map(d => d.toJS())).some((d: any) => d.metadata.annotations)).toBe(false);
});

test('each unit builds with kustomize (no load restrictions, as Flux builds) to exactly its files\' objects', () => {
  const { app, root } = fluxExample();
  const kubectl = ensureKubectl();
  const units = [
    ...root.synthBundle().waves.map(w => ({ dir: `flux/${w.file.replace(/\..*$/, '')}`, file: w.file })),
    { dir: 'flux/cluster-tenant-foo-cluster1', file: 'clusters/tenant-foo/cluster1/workloads.tenant-yaml' },
    { dir: 'flux/clusters', file: 'flux/clusters.k8s.yaml' },
  ];
  for (const u of units) {
    const built = execFileSync(kubectl, ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', path.join(app.outdir, u.dir)]).toString();
    const key = (d: any) => `${d.kind}/${d.metadata.namespace ?? ''}/${d.metadata.name}`;
    const got = YAML.parseAllDocuments(built).map(d => d.toJS()).map(key).sort();
    expect(got).toEqual(docsOf(path.join(app.outdir, u.file)).map(key).sort());
  }
});

test('an unknown source kind is refused', () => {
  const app = tempApp();
  new RootTenant(app, 'platform', { host: 'example.org', flux: { ...FLUX, sourceKind: FluxSourceKind.of('HelmRepository') } });
  expect(synthProblems(app)).toEqual([{ path: 'platform', message: expect.stringContaining('flux.sourceKind "HelmRepository" is not a Flux source kind') }]);
});
