/**
 * Java and Go bindings of the peer jsii libraries that the registries this project reaches do
 * not serve, built from the npm packages installed in node_modules/ (so at exactly their versions):
 *
 * - Java: Maven Central has org.cdk8s:cdk8s only up to 2.70.47 (the library needs ^2.70.106)
 *   and no org.cdk8s:cdk8s-plus-28 at all;
 * - Go: the module proxy refuses github.com/cdk8s-team/cdk8s-core-go (403). It does serve
 *   cdk8s-plus-go/cdk8splus28 v2.5.6, constructs-go and jsii-runtime-go.
 *
 * constructs, jsii-runtime and the Python packages all come from the registries.
 *
 * The bindings go to `.cache/jsii-peers/` (a jsii-pacmak output directory: `java/` is a Maven
 * repository, `go/cdk8s/` a Go module), built once per set of versions. `node_modules/<peer>/dist`
 * is linked to it: that is where jsii-pacmak looks for a dependency's own build output
 * (`<package>/<jsii.outdir>/<language>`), so `package:java` and `package:go` build this library
 * against them with no option of their own. The language tests (test/polyglot.test.ts) use the
 * same directory.
 *
 * Usage: peer-bindings.ts [java] [go]   (both when none is given)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
export const PEERS_DIR = path.join(ROOT, '.cache', 'jsii-peers');
/** Maven's local repository for every Java build of this project (plugins, jsii-runtime, ...). */
export const MAVEN_REPO = path.join(ROOT, '.cache', 'm2');

/** Which peers each language builds here, and why is in the header. */
const NEEDED: Record<string, string[]> = {
  java: ['cdk8s', 'cdk8s-plus-28'],
  go: ['cdk8s'],
};

function installedVersion(pkg: string): string {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

function requireTool(cmd: string, args: string[], why: string): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`peer-bindings: \`${cmd}\` is needed to ${why}, and \`${cmd} ${args.join(' ')}\` failed: ${r.error?.message ?? r.stderr}`);
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): void {
  console.log(`peer-bindings: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`peer-bindings: ${cmd} ${args.join(' ')} exited ${r.status}`);
}

/** Links node_modules/<peer>/dist to the shared output directory (replacing a stale link). */
function link(pkg: string): void {
  const dist = path.join(ROOT, 'node_modules', pkg, 'dist');
  const st = fs.lstatSync(dist, { throwIfNoEntry: false });
  if (st?.isSymbolicLink() && fs.readlinkSync(dist) === PEERS_DIR) return;
  if (st && !st.isSymbolicLink()) throw new Error(`peer-bindings: ${dist} exists and is not a link this script made; remove it.`);
  if (st) fs.unlinkSync(dist);
  fs.symlinkSync(PEERS_DIR, dist, 'dir');
}

export function buildPeerBindings(languages: string[]): void {
  for (const lang of languages) {
    if (!NEEDED[lang]) throw new Error(`peer-bindings: unknown language ${lang} (java, go)`);
    const peers = NEEDED[lang];
    const stampFile = path.join(PEERS_DIR, `${lang}.stamp`);
    const stamp = peers.map(p => `${p}@${installedVersion(p)}`).join(' ');
    if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) {
      peers.forEach(link);
      continue;
    }
    if (lang === 'java') requireTool('mvn', ['-v'], 'build the Java bindings of cdk8s and cdk8s-plus-28');
    if (lang === 'go') requireTool('go', ['version'], 'build the Go bindings of cdk8s');
    fs.rmSync(stampFile, { force: true });
    fs.rmSync(path.join(PEERS_DIR, lang), { recursive: true, force: true });
    fs.mkdirSync(PEERS_DIR, { recursive: true });
    run('npx', [
      'jsii-pacmak', '--target', lang, '--outdir', PEERS_DIR, '--no-npmignore', '--no-fingerprint',
      `--maven-local-repository=${MAVEN_REPO}`,
      ...peers.map(p => path.join('node_modules', p)),
    ], {
      // Javadoc and source jars of cdk8s-plus-28's thousands of generated classes take minutes; these
      // jars are only compiled against and run here, never published.
      MAVEN_OPTS: `${process.env.MAVEN_OPTS ?? ''} -Dmaven.javadoc.skip=true -Dmaven.source.skip=true`,
    });
    fs.writeFileSync(stampFile, stamp);
    peers.forEach(link);
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  buildPeerBindings(args.length ? args : Object.keys(NEEDED));
}
