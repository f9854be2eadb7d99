/**
 * The library from Python, Java and Go: each language's program in test/polyglot/<language>
 * builds the README's example platform with the packaged library (the wheel, the jar, the Go
 * module that jsii-pacmak makes of the current sources, see test/polyglot/packages.ts) and
 * checks the namespaces, hosts and providers of its topology.json; this file builds the
 * packages, runs each language's own test runner (pytest, Maven Surefire, go test) and
 * holds the README's examples to those programs.
 *
 * First run: the packages and the peers' bindings are built and the registries' packages
 * fetched (minutes); later runs reuse `.cache/` while src/ is unchanged.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { PEERS_DIR } from '../scripts/peer-bindings';
import { CACHE, ROOT, ensurePackages, fileHash, installedVersion, mavenSettings, Packages, requireToolchain, run, stageProject, withLock } from './polyglot/packages';
import { buildPlatform } from '../examples/platform';

const MINUTES = 60_000;
const timings: string[] = [];

function timed<T>(label: string, fn: () => T): T {
  const started = Date.now();
  try {
    return fn();
  } finally {
    timings.push(`${label} ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

afterAll(() => {
  if (timings.length) console.log(`polyglot timings: ${timings.join(', ')}`);
});

test('app.synth() called the way the jsii kernel calls it (on the constructor\'s prototype) writes the bundle', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'polyglot-kernel-'));
  try {
    const app = new App({ outdir });
    buildPlatform(app);
    (app.constructor as typeof App).prototype.synth.call(app);
    expect(fs.existsSync(path.join(outdir, 'topology.json'))).toBe(true);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

describe('the README shows the programs the language tests run', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  test.each([
    ['python', 'test/polyglot/python/platform_example.py'],
    ['java', 'test/polyglot/java/src/main/java/example/Platform.java'],
    ['go', 'test/polyglot/go/platform.go'],
  ])('%s: %s', (lang, file) => {
    const code = fs.readFileSync(path.join(ROOT, file), 'utf8');
    expect(readme).toContain(`<!-- example: ${file} -->\n\`\`\`${lang}\n${code}\`\`\``);
  });
});

describe('the packaged library from other languages', () => {
  let packages: Packages;
  beforeAll(() => {
    packages = timed('packages', ensurePackages);
    if (packages.buildSeconds) timings.push(`(of which the build ${packages.buildSeconds} s)`);
  }, 40 * MINUTES);

  // Each holds the lock: test runs in one work tree share the venv, .cache/m2 and the staged projects.
  test('Python: pytest in a venv with the wheel', () => withLock(() => {
    requireToolchain('python3', ['--version'], 'Python');
    const venv = path.join(CACHE, 'venv');
    const python = path.join(venv, 'bin', 'python');
    // The peers at the versions the npm tests run, from PyPI.
    const pins = [
      'pytest', `cdk8s==${installedVersion('cdk8s')}`, `cdk8s-plus-28==${installedVersion('cdk8s-plus-28')}`,
      `constructs==${installedVersion('constructs')}`,
    ];
    const pinsFile = path.join(venv, 'pins.txt');
    timed('python venv', () => {
      if (!fs.existsSync(python) || !fs.existsSync(pinsFile) || fs.readFileSync(pinsFile, 'utf8') !== pins.join('\n')) {
        fs.rmSync(venv, { recursive: true, force: true });
        run('python3', ['-m', 'venv', venv], { what: 'Creating the Python venv' });
        run(python, ['-m', 'pip', 'install', '--quiet', ...pins, packages.wheel], { what: 'Installing pytest, the peers and the wheel from PyPI' });
        fs.writeFileSync(pinsFile, pins.join('\n'));
        fs.writeFileSync(path.join(venv, 'wheel.sha256'), fileHash(packages.wheel));
      }
      const marker = path.join(venv, 'wheel.sha256');
      if (!fs.existsSync(marker) || fs.readFileSync(marker, 'utf8') !== fileHash(packages.wheel)) {
        run(python, ['-m', 'pip', 'install', '--quiet', '--no-deps', '--force-reinstall', packages.wheel], { what: 'Installing the wheel' });
        fs.writeFileSync(marker, fileHash(packages.wheel));
      }
    });
    const out = timed('pytest', () => run(python, ['-m', 'pytest', '-p', 'no:cacheprovider', '--rootdir', '.', '-q'], {
      cwd: path.join(ROOT, 'test', 'polyglot', 'python'),
      what: 'pytest test/polyglot/python',
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    }));
    expect(out).toMatch(/\b3 passed\b/);
  }), 45 * MINUTES);

  test('Java: a Maven project with the jar', () => withLock(() => {
    requireToolchain('mvn', ['-v'], 'Java');
    const settings = mavenSettings();
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    timed('java install', () => {
      const marker = path.join(CACHE, 'jar.sha256');
      if (!fs.existsSync(marker) || fs.readFileSync(marker, 'utf8') !== fileHash(packages.jar)) {
        run('mvn', ['-B', '-q', '-s', settings, 'install:install-file', `-Dfile=${packages.jar}`, `-DpomFile=${packages.pom}`], {
          what: 'Installing the jar into .cache/m2',
        });
        fs.writeFileSync(marker, fileHash(packages.jar));
      }
    });
    const dir = stageProject('java', ['target']);
    // Offline once the project's plugins and dependencies are in .cache/m2 (a third of the time).
    const resolved = path.join(CACHE, 'java-resolved.sha256');
    const pomHash = fileHash(path.join(dir, 'pom.xml'));
    const offline = fs.existsSync(resolved) && fs.readFileSync(resolved, 'utf8') === pomHash ? ['--offline'] : [];
    const out = timed('mvn test', () => run('mvn', ['-B', ...offline, '-s', settings, `-Dcdk8s-cozystack.version=${version}`, 'test'], {
      cwd: dir,
      what: `mvn test in ${path.relative(ROOT, dir)} (peers from ${path.relative(ROOT, PEERS_DIR)})`,
      // Maven itself runs briefly: the JIT's top tier does not pay off (jsii-pacmak sets the same).
      env: { ...process.env, MAVEN_OPTS: `${process.env.MAVEN_OPTS ?? ''} -XX:+TieredCompilation -XX:TieredStopAtLevel=1` },
    }));
    fs.writeFileSync(resolved, pomHash);
    expect(out).toMatch(/Tests run: 3, Failures: 0, Errors: 0, Skipped: 0/);
  }), 45 * MINUTES);

  test('Go: go test with the module', () => withLock(() => {
    requireToolchain('go', ['version'], 'Go');
    const dir = stageProject('go', ['go.sum']);
    const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false' };
    const out = timed('go test', () => {
      run('go', ['mod', 'edit',
        `-replace=github.com/maintainers/cdk8s-cozystack-go/cdk8scozystack=${packages.goModule}`,
        // The module proxy does not serve cdk8s-core-go: its bindings are built from node_modules/cdk8s.
        `-replace=github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2=${path.join(PEERS_DIR, 'go', 'cdk8s')}`],
      { cwd: dir, env, what: 'go mod edit' });
      run('go', ['mod', 'tidy'], { cwd: dir, env, what: 'go mod tidy (modules from the Go proxy)' });
      return run('go', ['test', '-count=1', '-v', './...'], { cwd: dir, env, what: 'go test' });
    });
    expect(out.match(/^--- PASS/gm)?.length).toBe(3);
    expect(out).toMatch(/^ok\s+example\.com\/platform/m);
  }), 45 * MINUTES);
});
