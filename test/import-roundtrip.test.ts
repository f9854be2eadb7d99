/**
 * `cdk8s-cozystack import` round trip over random platforms (test/support/platform-arbitrary.ts):
 * synth → import from the bundle's wave files → compile the generated program (tsc, against
 * the repository's src) → run it → its management waves are byte-identical to the original's.
 *
 * Every program is run as it is written (one `require` each, in this process); all of them are
 * type-checked by one tsc run at the end, with the repository's compiler options
 * (noUnusedLocals included), so a program that only runs because TypeScript's types are
 * erased still fails. Reproduce a failure with `FC_SEED=<seed> npx jest test/import-roundtrip.test.ts`;
 * `FC_NUM_RUNS` sets the number of platforms (default 100 where CI runs, 25 elsewhere).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import * as fc from 'fast-check';
import { buildCatalogue } from '../examples/catalogue';
import { CozystackVersion, EtcdService, KubernetesCluster, Postgres, RootTenant, Tenant } from '../src';
import { Captured } from './support/bundles';
import { buildPlatform, platformArb, shuffledOrder } from './support/platform-arbitrary';
import { run } from '../src/cli/main';

const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : 20261130;
const IN_CI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
const NUM_RUNS = process.env.FC_NUM_RUNS !== undefined ? Number(process.env.FC_NUM_RUNS) : IN_CI ? 100 : 25;
console.log(`import round trip: seed ${SEED}, ${NUM_RUNS} platforms`);

const REPO = path.resolve(__dirname, '..');
/** Under the repository (gitignored .cache/) so the programs resolve cdk8s from its node_modules. */
const WORK = path.join(REPO, '.cache', `import-roundtrip-${process.pid}`);

afterAll(() => fs.rmSync(WORK, { recursive: true, force: true }));

/** Every program written, type-checked together by the last test. */
const programs: string[] = [];

function waves(dir: string): Map<string, string> {
  return new Map(fs.readdirSync(dir).filter(f => /^wave-\d+\./.test(f)).sort().map(f => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

/** Runs a program the way `cdk8s synth` would, with its output in `outdir`. */
function runProgram(file: string, outdir: string): void {
  const before = process.env.CDK8S_OUTDIR;
  const stderr = process.stderr.write;
  process.env.CDK8S_OUTDIR = outdir;
  process.stderr.write = (() => true) as typeof process.stderr.write; // synthesis warnings
  try {
    // The program is a script: loading it runs it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(file);
  } finally {
    process.stderr.write = stderr;
    if (before === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = before;
  }
}

test('the catalogue example (every kind, references between apps) survives the round trip', async () => {
  fs.mkdirSync(WORK, { recursive: true });
  const original = path.join(WORK, 'catalogue');
  const app = new App({ outdir: original });
  buildCatalogue(app);
  const stderr = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    app.synth();
  } finally {
    process.stderr.write = stderr;
  }
  const program = path.join(WORK, 'catalogue.ts');
  programs.push(program);
  const c = new Captured();
  // A bundle folder: its wave files, and the root's host from its index.json.
  expect(await run(['import', '--file', original, '--cozystack-version', 'v1.6', '--library', path.join(REPO, 'src'), '--out', program], c.io)).toBe(0);
  expect(c.stderr).not.toContain('not imported');
  const text = fs.readFileSync(program, 'utf8');
  // References are constructs, names are kept.
  expect(text).toMatch(/new KubernetesNodes\(shop, 'gpu', \{\n {2}kubernetesCluster: k8s,/);
  expect(text).toContain('attachedDisks: [{ disk: system }, { disk: data }]');
  const again = path.join(WORK, 'catalogue-again');
  runProgram(program, again);
  expect(waves(again)).toEqual(waves(original));
});

test('a v0.41 platform survives the round trip (integer parameters, ephemeralStorage, isolated, an empty quota map)', async () => {
  fs.mkdirSync(WORK, { recursive: true });
  const original = path.join(WORK, 'v041');
  const app = new App({ outdir: original });
  const root = new RootTenant(app, 'platform', { host: 'example.org', version: CozystackVersion.V0_41 });
  new EtcdService(root);
  const t = new Tenant(root, 'foo', { isolated: false, resourceQuotas: {} });
  new KubernetesCluster(t, 'k1', { nodeGroups: { md0: { minReplicas: 1, maxReplicas: 2, instanceType: 'u1.large', diskSize: '20Gi' } } });
  new Postgres(t, 'db', { replicas: 2, postgresql: { parameters: { max_connections: '200' } } });
  const stderr = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    app.synth();
  } finally {
    process.stderr.write = stderr;
  }
  const program = path.join(WORK, 'v041.ts');
  programs.push(program);
  const c = new Captured();
  expect(await run(['import', '--file', original, '--cozystack-version', 'v0.41', '--library', path.join(REPO, 'src'), '--out', program], c.io)).toBe(0);
  expect(c.stderr).not.toContain('not imported');
  expect(fs.readFileSync(program, 'utf8')).toContain('new Tenant(root, \'foo\', { resourceQuotas: {}, isolated: false });');
  const again = path.join(WORK, 'v041-again');
  runProgram(program, again);
  expect(waves(again)).toEqual(waves(original));
});

test('synth → import → compile → synth gives byte-identical management waves (and every program of this file type-checks)', async () => {
  fs.mkdirSync(WORK, { recursive: true });
  let n = 0;
  const details = await fc.check(fc.asyncProperty(platformArb(8), async model => {
    const i = n++;
    const original = path.join(WORK, `original-${i}`);
    const { app } = buildPlatform(model, shuffledOrder(model), original);
    const stderr = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      app.synth();
    } finally {
      process.stderr.write = stderr;
    }
    // A platform without objects has no wave file: import reads an empty file then.
    const empty = path.join(WORK, 'empty.yaml');
    fs.writeFileSync(empty, '');
    const files = [...waves(original).keys()].map(f => path.join(original, f)).concat(waves(original).size ? [] : [empty]).flatMap(f => ['--file', f]);
    const program = path.join(WORK, `program-${i}.ts`);
    const c = new Captured();
    const code = await run(['import', ...files, '--cozystack-version', 'v1.6', '--root-host', model.rootHost,
      '--library', path.join(REPO, 'src'), '--out', program], c.io);
    if (code !== 0) throw new Error(`import exited ${code}: ${c.stderr}`);
    if (c.stderr.includes('not imported')) throw new Error(`import left objects out:\n${c.stderr}`);
    programs.push(program);
    const again = path.join(WORK, `again-${i}`);
    runProgram(program, again);
    const a = waves(original);
    const b = waves(again);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [f, text] of a) {
      if (b.get(f) !== text) throw new Error(`${f} differs after the round trip; the program:\n${fs.readFileSync(program, 'utf8')}`);
    }
  }), { seed: SEED, numRuns: NUM_RUNS });
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`${fc.defaultReportMessage(details)}\nRe-run with FC_SEED=${details.seed} npx jest test/import-roundtrip.test.ts\n\nCause: ${cause}`);
  }

  // One type check of every program, with the repository's compiler options.
  fs.writeFileSync(path.join(WORK, 'tsconfig.json'), JSON.stringify({
    extends: path.join(REPO, 'tsconfig.json'),
    compilerOptions: { rootDir: REPO, noEmit: true, types: ['node'] },
    include: [],
    files: programs,
  }));
  const tsc = spawnSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(WORK, 'tsconfig.json')], { encoding: 'utf8' });
  expect(`${tsc.stdout}${tsc.stderr}`).toBe('');
  expect(tsc.status).toBe(0);
}, 600_000);
