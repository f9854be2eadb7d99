/**
 * The Python, Java and Go packages of the library, built the way `npx projen build` builds
 * them (jsii, then jsii-pacmak), for the language tests in test/polyglot.test.ts.
 *
 * `npm test` does not compile, and `dist/` may hold packages of older sources, so the tests
 * build their own: in a copy of the sources under `.cache/polyglot/builds/<hash>/` (lib/ and
 * dist/ of the work tree are never touched), once per content of src/, charts/, package.json
 * and tsconfig.json. Builds unused for an hour are removed. Test runs in one work tree take
 * turns through a lock on `.cache/polyglot`, since they share the venv, Maven's repository and
 * the staged projects. Everything else the tests install is cached under `.cache/` too: the peers'
 * Java and Go bindings (scripts/peer-bindings.ts), Maven's repository `.cache/m2`, the Python
 * venv. Go's module and build caches are Go's own.
 *
 * A missing toolchain or a package a registry does not serve fails with the reason; nothing is
 * skipped.
 */
import { spawnSync, SpawnSyncOptions } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { buildPeerBindings, MAVEN_REPO, PEERS_DIR } from '../../scripts/peer-bindings';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CACHE = path.join(ROOT, '.cache', 'polyglot');
const BUILDS = path.join(CACHE, 'builds');
/** A build unused for this long is removed by the next one. */
const PRUNE_AFTER_MS = 60 * 60_000;
const LOCK = path.join(CACHE, 'lock');

/** What the packages are built from (the copy holds these and a link to node_modules/). */
const SOURCES = ['src', 'charts', 'package.json', 'tsconfig.json', '.npmignore', 'LICENSE', 'README.md'];
/** What decides their content (README.md only becomes package descriptions), and how they are built. */
const INPUTS = ['src', 'charts', 'package.json', 'tsconfig.json', 'test/polyglot/packages.ts'];

export interface Packages {
  readonly wheel: string;
  /** A Maven repository holding org.cdk8s:cdk8s-cozystack. */
  readonly javaRepo: string;
  readonly jar: string;
  readonly pom: string;
  /** The Go module's directory. */
  readonly goModule: string;
  /** Seconds spent building them, 0 when the cached ones were current. */
  readonly buildSeconds: number;
}

/** Runs a command; throws with the tail of its output when it fails or cannot start. */
export function run(cmd: string, args: string[], opts: SpawnSyncOptions & { what: string }): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.error) throw new Error(`${opts.what}: could not run \`${cmd}\` (${r.error.message}). Is it installed and on PATH?`);
  if (r.status !== 0) {
    throw new Error(`${opts.what}: \`${cmd} ${args.join(' ')}\` exited ${r.status}:\n${tail(out, 60)}`);
  }
  return out;
}

/** Fails, naming the toolchain, when `cmd` cannot run. */
export function requireToolchain(cmd: string, args: string[], language: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`The ${language} test needs \`${cmd}\`, which is missing or broken here (${r.error?.message ?? r.stderr.trim()}). Install it; the test is not skipped.`);
  }
  return `${r.stdout}${r.stderr}`.trim().split('\n')[0];
}

function tail(text: string, lines: number): string {
  // The banner jsii prints on Node 20 says nothing about the failure.
  return text.split('\n').filter(l => !l.startsWith('!!') && !/^b'!!/.test(l)).slice(-lines).join('\n');
}

function hashInputs(): string {
  const h = crypto.createHash('sha256');
  const visit = (rel: string) => {
    const abs = path.join(ROOT, rel);
    const st = fs.statSync(abs);
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(abs).sort()) visit(path.join(rel, e));
    } else {
      h.update(`${rel}\0`).update(fs.readFileSync(abs)).update('\0');
    }
  };
  INPUTS.forEach(visit);
  for (const tool of ['jsii', 'jsii-pacmak']) {
    h.update(`${tool}@${JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', tool, 'package.json'), 'utf8')).version}`);
  }
  return h.digest('hex');
}

/** Holds the lock on `.cache/polyglot` while `fn` runs, waiting for another holder. */
export function withLock<T>(fn: () => T): T {
  fs.mkdirSync(CACHE, { recursive: true });
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      fs.writeFileSync(path.join(LOCK, 'pid'), String(process.pid));
      break;
    } catch (e: any) {
      if (e.code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(path.join(LOCK, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
      if (pid && !isAlive(pid)) {
        fs.rmSync(LOCK, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${LOCK} has been held by process ${pid} for 30 minutes`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function outputs(build: string, buildSeconds: number): Packages {
  const dist = path.join(build, 'dist');
  const wheel = fs.readdirSync(path.join(dist, 'python')).find(f => f.endsWith('.whl'));
  const javaRepo = path.join(dist, 'java');
  const version = JSON.parse(fs.readFileSync(path.join(build, 'package.json'), 'utf8')).version;
  const artifact = path.join(javaRepo, 'org', 'cdk8s', 'cdk8s-cozystack', version, `cdk8s-cozystack-${version}`);
  const goModule = path.join(dist, 'go', 'cdk8scozystack');
  for (const f of [`${artifact}.jar`, `${artifact}.pom`, path.join(goModule, 'go.mod')]) {
    if (!fs.existsSync(f)) throw new Error(`jsii-pacmak left no ${f}`);
  }
  if (!wheel) throw new Error(`jsii-pacmak left no wheel in ${dist}/python`);
  return { wheel: path.join(dist, 'python', wheel), javaRepo, jar: `${artifact}.jar`, pom: `${artifact}.pom`, goModule, buildSeconds };
}

let built: Packages | undefined;

/** The three packages of the current sources, built on first use. */
export function ensurePackages(): Packages {
  if (built) return built;
  built = withLock(() => {
    const build = path.join(BUILDS, hashInputs().slice(0, 16));
    const done = path.join(build, 'done');
    if (fs.existsSync(done)) {
      // The peers' links live in node_modules/, which `npm ci` replaces.
      buildPeerBindings(['java', 'go']);
      const now = new Date();
      fs.utimesSync(done, now, now);
      return outputs(build, 0);
    }
    const started = Date.now();
    requireToolchain('python3', ['--version'], 'Python');
    requireToolchain('mvn', ['-v'], 'Java');
    requireToolchain('go', ['version'], 'Go');
    buildPeerBindings(['java', 'go']);

    fs.rmSync(build, { recursive: true, force: true });
    fs.mkdirSync(build, { recursive: true });
    for (const s of SOURCES) {
      if (fs.existsSync(path.join(ROOT, s))) fs.cpSync(path.join(ROOT, s), path.join(build, s), { recursive: true });
    }
    linkNodeModules(build);
    const bin = (tool: string) => path.join(ROOT, 'node_modules', '.bin', tool);
    run(bin('jsii'), ['--silence-warnings=reserved-word'], { cwd: build, what: 'Compiling the jsii assembly' });
    run(bin('jsii-pacmak'), ['--target', 'python', '--target', 'java', '--target', 'go', `--maven-local-repository=${MAVEN_REPO}`], {
      cwd: build,
      what: 'Packaging for Python, Java and Go (jsii-pacmak)',
      // The packages are only run here: no javadoc and source jars (a minute of the Java build).
      env: { ...process.env, MAVEN_OPTS: `${process.env.MAVEN_OPTS ?? ''} -Dmaven.javadoc.skip=true -Dmaven.source.skip=true` },
    });
    const result = outputs(build, Math.round((Date.now() - started) / 1000));
    fs.writeFileSync(done, '');
    for (const other of fs.readdirSync(BUILDS)) {
      const dir = path.join(BUILDS, other);
      const mark = fs.statSync(path.join(dir, 'done'), { throwIfNoEntry: false });
      if (dir !== build && (!mark || Date.now() - mark.mtimeMs > PRUNE_AFTER_MS)) fs.rmSync(dir, { recursive: true, force: true });
    }
    return result;
  });
  return built;
}

/**
 * Gives the copy the work tree's node_modules/: links, except the bundled dependencies and what
 * they need, which are copied. `npm pack` (jsii-pacmak's first step, whose tarball every
 * language's package embeds) bundles only the direct ones from a linked node_modules/, and the
 * library then fails to load `fast-deep-equal` (ajv's) in Python, Java and Go.
 */
function linkNodeModules(build: string): void {
  const modules = path.join(ROOT, 'node_modules');
  const bundled = new Set<string>();
  const visit = (name: string) => {
    if (bundled.has(name)) return;
    bundled.add(name);
    const manifest = JSON.parse(fs.readFileSync(path.join(modules, name, 'package.json'), 'utf8'));
    Object.keys(manifest.dependencies ?? {}).forEach(visit);
  };
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  (pkg.bundledDependencies ?? pkg.bundleDependencies ?? []).forEach(visit);

  const place = (rel: string) => {
    const from = path.join(modules, rel);
    const to = path.join(build, 'node_modules', rel);
    if (bundled.has(rel)) {
      fs.cpSync(from, to, { recursive: true });
    } else if (rel.startsWith('@') && !rel.includes('/') && [...bundled].some(b => b.startsWith(`${rel}/`))) {
      fs.mkdirSync(to);
      for (const e of fs.readdirSync(from)) place(`${rel}/${e}`);
    } else {
      fs.symlinkSync(from, to);
    }
  };
  fs.mkdirSync(path.join(build, 'node_modules'));
  // npm's hidden lockfile describes the work tree's layout, not this one.
  for (const e of fs.readdirSync(modules)) if (e !== '.package-lock.json') place(e);
}

/** The Maven settings of the Java test: the shared repository and the peers' bindings. */
export function mavenSettings(): string {
  const file = path.join(CACHE, 'maven-settings.xml');
  fs.writeFileSync(file, [
    '<settings>',
    `  <localRepository>${MAVEN_REPO}</localRepository>`,
    '  <profiles><profile><id>jsii-peers</id><repositories>',
    `    <repository><id>jsii-peers</id><url>file://${path.join(PEERS_DIR, 'java')}</url></repository>`,
    '  </repositories></profile></profiles>',
    '  <activeProfiles><activeProfile>jsii-peers</activeProfile></activeProfiles>',
    '</settings>',
    '',
  ].join('\n'));
  return file;
}

/** The version of an npm package in node_modules/ (the Python and Go tests pin the peers to it). */
export function installedVersion(pkg: string): string {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

/** A file's sha256, to tell whether a package changed since it was last installed. */
export function fileHash(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Copies a committed test project into `.cache/polyglot/<name>`, keeping build output there. */
export function stageProject(name: string, keep: string[] = []): string {
  const from = path.join(ROOT, 'test', 'polyglot', name);
  const to = path.join(CACHE, name);
  fs.mkdirSync(to, { recursive: true });
  for (const e of fs.readdirSync(to)) if (!keep.includes(e)) fs.rmSync(path.join(to, e), { recursive: true, force: true });
  for (const e of fs.readdirSync(from)) fs.cpSync(path.join(from, e), path.join(to, e), { recursive: true });
  return to;
}
