/**
 * The npm package holds only what runs: the compiled library (lib/**\/*.js, *.d.ts), the chart
 * data it validates against (charts/**\/*.json) with the validators generated from its schemas
 * (charts/<release>/validators/*.js), the jsii manifest, API.md, README.md, LICENSE,
 * package.json and the bundled dependencies. Nothing the tests, tools or the benchmark leave in
 * the work tree (.cache/ with kubectl and helm binaries, test-reports/, .bench-tmp/, dist/,
 * coverage/, earlier *.tgz, ...) may ship.
 *
 * The test task type-checks and runs jest without compiling, so lib/ may be absent here. Two checks:
 * - the ignore rules, on a planted tree (package.json and .npmignore copied into a temp directory
 *   with fake lib/ files and every kind of leftover), whatever the work tree holds;
 * - the real work tree: every packed file is on the allow-list and the tarball is under 2 MB.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const MAX_PACKED_BYTES = 2 * 1024 * 1024;
/** A ceiling on the unpacked size too: a stray binary shows there first. */
const MAX_UNPACKED_BYTES = 12 * 1024 * 1024;

interface PackResult {
  readonly size: number;
  readonly unpackedSize: number;
  readonly entryCount: number;
  readonly files: Array<{ path: string; size: number }>;
  readonly bundled: string[];
}

/** What `npm pack` would put in the tarball (nothing is written). */
function dryPack(dir: string): PackResult {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, npm_config_loglevel: 'error', npm_config_update_notifier: 'false' },
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`npm pack --dry-run exited ${r.status}:\n${r.stderr}`);
  const [result] = JSON.parse(r.stdout);
  return result;
}

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const BUNDLED_DIRECT: string[] = pkg.bundledDependencies ?? pkg.bundleDependencies ?? [];

/** The bundled dependencies and, through the installed package.json files, everything they need. */
function bundledClosure(): Set<string> {
  const out = new Set<string>();
  const visit = (name: string) => {
    if (out.has(name)) return;
    out.add(name);
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8'));
    for (const dep of Object.keys(manifest.dependencies ?? {})) visit(dep);
  };
  BUNDLED_DIRECT.forEach(visit);
  return out;
}

/** The package a node_modules/ path belongs to (scoped or not). */
function packageOf(file: string): string {
  const parts = file.split('/');
  return parts[1].startsWith('@') ? `${parts[1]}/${parts[2]}` : parts[1];
}

const ALLOWED: RegExp[] = [
  /^lib\/.+\.js$/,
  /^lib\/.+\.d\.ts$/,
  /^charts\/.+\.json$/,
  /^charts\/[^/]+\/validators\/[^/]+\.js$/,
  /^\.jsii$/,
  /^API\.md$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^package\.json$/,
];

/** The packed files that are neither on the allow-list nor part of a bundled dependency. */
function notAllowed(files: string[], bundled: Set<string>): string[] {
  return files.filter(f => {
    if (f.startsWith('node_modules/')) return !bundled.has(packageOf(f));
    return !ALLOWED.some(re => re.test(f));
  });
}

function write(dir: string, rel: string, content = 'x'): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), content);
}

describe('the ignore rules, on a planted tree', () => {
  const SHIPPED = [
    'lib/index.js', 'lib/index.d.ts', 'lib/cli/main.js', 'lib/cli/main.d.ts', 'lib/domain/registry.js', 'lib/domain/registry.d.ts',
    'charts/v1.6.2/tenant.json', 'charts/v1.6.2/definitions.json', 'charts/v1.6.2/validators/tenant.js',
    '.jsii', 'API.md', 'README.md', 'LICENSE',
  ];
  // Everything tools, tests and people leave beside the sources, and the sources themselves.
  const LEFT_OUT = [
    '.cache/kubectl/33/kubectl', '.cache/kubectl/33/helm', '.cache/cluster-bin/kube-apiserver', '.cache/test-cluster/etcd/member',
    'cdk8s-cozystack-0.0.0.tgz', 'lib/nested.tgz',
    'test-reports/junit.xml', 'test-reports/jest.json', 'junit.xml',
    '.bench-tmp/profiles/run.cpuprofile', 'dist/index.json', 'dist/wave-00.k8s.yaml', 'coverage/lcov.info',
    'test/property.test.ts', 'test/fixtures/inheritance.json', 'test/cluster/go.mod', 'test/cluster/cmd/main.go', 'test/tsconfig.json',
    'src/index.ts', 'src/domain/registry.ts', 'src/generated/index.ts',
    'scripts/gen-types.ts', 'examples/platform.ts', 'bench/bench.ts', 'bench/results.json', 'docs/notes.md', '.ci/run',
    '.projenrc.ts', 'projenrc/tsconfig.json', '.projen/tasks.json', 'tsconfig.json', '.eslintrc.json', '.gitattributes',
    'cdk8s.yaml', 'npm-debug.log', 'lib/tsconfig.tsbuildinfo', 'tsconfig.tsbuildinfo',
  ];
  let dir: string;
  let packed: PackResult;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pack-'));
    fs.copyFileSync(path.join(ROOT, '.npmignore'), path.join(dir, '.npmignore'));
    // The real manifest, without the bundled dependencies (no node_modules/ here).
    const { bundledDependencies: _b, bundleDependencies: _b2, ...manifest } = pkg;
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
    for (const f of [...SHIPPED, ...LEFT_OUT]) write(dir, f);
    packed = dryPack(dir);
  }, 60_000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('exactly the run-time files are packed', () => {
    expect(packed.files.map(f => f.path).sort()).toEqual([...SHIPPED, 'package.json'].sort());
  });

  test("package.json's entry points are among them", () => {
    const entries = [pkg.main, pkg.types, ...Object.values<string>(pkg.bin ?? {})].map((p: string) => path.posix.normalize(p));
    expect(entries.length).toBeGreaterThanOrEqual(3);
    for (const e of entries) expect(SHIPPED).toContain(e);
  });
});

describe('the package from this work tree', () => {
  let packed: PackResult;
  let files: string[];

  beforeAll(() => {
    packed = dryPack(ROOT);
    files = packed.files.map(f => f.path);
    console.log(`npm pack: ${packed.entryCount} files, ${packed.size} bytes packed, ${packed.unpackedSize} unpacked`
      + `${fs.existsSync(path.join(ROOT, 'lib')) ? '' : ' (no lib/: not compiled)'}`);
  }, 120_000);

  test('every packed file is on the allow-list', () => {
    expect(notAllowed(files, bundledClosure())).toEqual([]);
    for (const prefix of ['.cache/', 'test/', 'src/', 'test-reports/', '.bench-tmp/', 'dist/', 'coverage/']) {
      expect(files.filter(f => f.startsWith(prefix))).toEqual([]);
    }
    expect(files.filter(f => f.endsWith('.tgz'))).toEqual([]);
  });

  test('the bundled dependencies, and only they, come along', () => {
    expect(BUNDLED_DIRECT.length).toBeGreaterThan(0);
    expect([...packed.bundled].sort()).toEqual([...bundledClosure()].sort());
    for (const name of BUNDLED_DIRECT) expect(files).toContain(`node_modules/${name}/package.json`);
  });

  test('the documents and the chart data are there, and the compiled library when compiled', () => {
    for (const f of ['package.json', 'README.md', 'LICENSE', 'API.md']) expect(files).toContain(f);
    expect(files.filter(f => f.startsWith('charts/')).length).toBeGreaterThan(0);
    // Every generated validator ships (without one, each process would compile that chart's schema).
    const validators = fs.readdirSync(path.join(ROOT, 'charts')).flatMap(release => {
      const dir = path.join(ROOT, 'charts', release, 'validators');
      return fs.existsSync(dir) ? fs.readdirSync(dir).map(f => `charts/${release}/validators/${f}`) : [];
    });
    expect(validators.length).toBeGreaterThan(0);
    expect(files).toEqual(expect.arrayContaining(validators));
    if (fs.existsSync(path.join(ROOT, 'lib', 'index.js'))) {
      for (const f of [pkg.main, pkg.types, ...Object.values<string>(pkg.bin ?? {})]) expect(files).toContain(path.posix.normalize(f));
    }
  });

  test('the tarball is under 2 MB', () => {
    expect(packed.size).toBeLessThan(MAX_PACKED_BYTES);
    expect(packed.unpackedSize).toBeLessThan(MAX_UNPACKED_BYTES);
  });
});
