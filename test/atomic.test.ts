/**
 * Atomic output (issue 4): a failed synth leaves the output directory as it was; a
 * crash at any point of the write never leaves an `index.json` that names files which
 * are missing or differ from their sha256 (the directory holds the old complete
 * bundle, the new complete bundle, or no index at all); stale wave files of an
 * earlier, deeper bundle are removed.
 */
import { createHash } from 'crypto';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { EtcdService, KubernetesCluster, Postgres, RootTenant, Tenant } from '../src';

// The real module object, shared with src/bundle.ts and cdk8s, so that spies reach their calls.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs: typeof import('fs') = require('fs');

const md0 = { minReplicas: 1, maxReplicas: 3, instanceType: 'u1.medium', diskSize: '20Gi' };

/** Four levels: waves 0 to 3. */
function deepPlatform(app: App): RootTenant {
  const root = new RootTenant(app, 'platform', { host: 'example.org' });
  new EtcdService(root);
  const a = new Tenant(root, 'a');
  const b = new Tenant(a, 'b');
  const c = new Tenant(b, 'c');
  new Postgres(c, 'db1', { users: { app: {} } });
  new KubernetesCluster(b, 'k1', { nodeGroups: { md0 } });
  return root;
}

/** Two levels and other content: waves 0 and 1 only. */
function shallowPlatform(app: App): RootTenant {
  const root = new RootTenant(app, 'platform', { host: 'example.org' });
  new EtcdService(root);
  const x = new Tenant(root, 'x');
  new Postgres(x, 'db2');
  return root;
}

function synth(outdir: string, build: (app: App) => unknown): void {
  const app = new App({ outdir });
  build(app);
  app.synth();
}

/** Every file below `dir` (relative path → content, as hex to compare bytes). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p).toString('hex');
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

function sha256(p: string): string {
  return createHash('sha256').update(fs.readFileSync(p)).digest('hex');
}

/**
 * What a reader of the directory finds: no index, or an index whose every listed file
 * exists with its sha256, and no wave file it does not list.
 */
function readerView(dir: string): { index?: string; problems: string[] } {
  const indexPath = path.join(dir, 'index.json');
  if (!fs.existsSync(indexPath)) return { problems: [] };
  const text = fs.readFileSync(indexPath, 'utf8');
  const problems: string[] = [];
  let index: any;
  try {
    index = JSON.parse(text);
  } catch {
    return { index: text, problems: ['index.json is not JSON'] };
  }
  const check = (file: string, sum: string) => {
    const p = path.join(dir, file);
    if (!fs.existsSync(p)) problems.push(`${file} is listed but missing`);
    else if (sha256(p) !== sum) problems.push(`${file} does not match its sha256`);
  };
  for (const [file, sum] of Object.entries<string>(index.files ?? {})) check(file, sum);
  for (const w of index.waves ?? []) check(w.file, w.sha256);
  const listed = new Set([...Object.keys(index.files ?? {}), ...(index.waves ?? []).map((w: any) => w.file)]);
  for (const f of fs.readdirSync(dir)) {
    if (/^wave-\d+\./.test(f) && !listed.has(f)) problems.push(`${f} is a wave file the index does not list`);
  }
  return { index: text, problems };
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-'));
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a failed synth leaves the output directory byte for byte as it was', () => {
  test('validation error after a good bundle', () => {
    synth(dir, deepPlatform);
    const before = snapshot(dir);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['index.json', 'topology.json', 'wave-00.k8s.yaml', 'wave-03.k8s.yaml']));
    expect(() => synth(dir, (app) => {
      const root = shallowPlatform(app);
      new Tenant(root, 'Bad-Name');
    })).toThrow(/Validation failed/);
    expect(snapshot(dir)).toEqual(before);
  });

  test('validation error into an empty directory writes nothing', () => {
    expect(() => synth(dir, (app) => {
      const root = new RootTenant(app, 'platform', { host: 'example.org' });
      new KubernetesCluster(root, 'k1', { nodeGroups: { md0 } }); // no etcd
    })).toThrow(/does not run etcd/);
    expect(snapshot(dir)).toEqual({});
  });
});

describe('stale wave files of an earlier, deeper bundle are removed', () => {
  test('deep bundle, then shallow bundle: only the shallow bundle\'s files remain', () => {
    synth(dir, deepPlatform);
    expect(fs.readdirSync(dir).filter(f => f.startsWith('wave-')).sort())
      .toEqual(['wave-00.k8s.yaml', 'wave-01.k8s.yaml', 'wave-02.k8s.yaml', 'wave-03.k8s.yaml']);
    synth(dir, shallowPlatform);
    expect(fs.readdirSync(dir).filter(f => f.startsWith('wave-')).sort()).toEqual(['wave-00.k8s.yaml', 'wave-01.k8s.yaml']);
    expect(readerView(dir).problems).toEqual([]);
    // Nothing of the deep platform is left anywhere.
    for (const [f, hex] of Object.entries(snapshot(dir))) {
      expect([f, Buffer.from(hex, 'hex').toString('utf8').includes('tenant-a-b')]).toEqual([f, false]);
    }
    expect(fs.readdirSync(dir).filter(f => f.startsWith('.'))).toEqual([]);
  });
});

describe('a crash at any point of the write never leaves a half bundle behind an index', () => {
  const MUTATING = ['writeFileSync', 'renameSync', 'unlinkSync', 'rmSync', 'mkdirSync', 'mkdtempSync', 'rmdirSync'] as const;

  /** Runs `write` with the n-th mutating fs call failing (n from 1); returns how many calls there were. */
  function crashAt(n: number, write: () => void): { calls: number; crashed: boolean } {
    let calls = 0;
    let crashed = false;
    const spies = MUTATING.map(name => {
      const original = (fs as any)[name].bind(fs);
      return jest.spyOn(fs as any, name).mockImplementation((...args: any[]) => {
        calls++;
        if (calls === n) {
          crashed = true;
          // A write that dies half way: part of the content lands, then the error.
          if (name === 'writeFileSync' && (typeof args[1] === 'string' || Buffer.isBuffer(args[1]))) {
            original(args[0], args[1].slice(0, Math.floor(args[1].length / 2)));
          }
          throw Object.assign(new Error(`simulated crash at fs.${name} (call ${n})`), { code: 'EIO' });
        }
        return original(...args);
      });
    });
    try {
      write();
    } catch (e) {
      if (!crashed) throw e;
    } finally {
      spies.forEach(s => s.mockRestore());
    }
    return { calls, crashed };
  }

  function indexOf(build: (app: App) => unknown): string {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-ref-'));
    try {
      synth(scratch, build);
      return fs.readFileSync(path.join(scratch, 'index.json'), 'utf8');
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }

  test.each([
    ['over a deeper bundle', deepPlatform, shallowPlatform],
    ['over a shallower bundle', shallowPlatform, deepPlatform],
    ['into an empty directory', undefined, deepPlatform],
  ] as const)('%s, crashing at every fs call in turn', (_name, previous, next) => {
    const oldIndex = previous ? indexOf(previous) : undefined;
    const newIndex = indexOf(next);
    // How many mutating fs calls the write makes from this starting point.
    if (previous) synth(dir, previous);
    const total = crashAt(0, () => synth(dir, next)).calls;
    expect(total).toBeGreaterThan(5);

    const seen = new Set<string>();
    for (let n = 1; n <= total; n++) {
      fs.rmSync(dir, { recursive: true, force: true });
      if (previous) synth(dir, previous);
      const { crashed } = crashAt(n, () => synth(dir, next));
      expect(crashed).toBe(true);
      const view = readerView(dir);
      expect({ n, problems: view.problems }).toEqual({ n, problems: [] });
      const state = view.index === undefined ? 'none' : view.index === oldIndex ? 'old' : view.index === newIndex ? 'new' : 'other';
      expect({ n, state }).toEqual({ n, state: expect.stringMatching(previous ? /^(none|old|new)$/ : /^(none|new)$/) });
      seen.add(state);

      // The next, uninterrupted synth recovers: exactly the new bundle, no staging left over.
      synth(dir, next);
      expect(readerView(dir)).toEqual({ index: newIndex, problems: [] });
      expect(fs.readdirSync(dir).filter(f => f.startsWith('.'))).toEqual([]);
    }
    // The crashes did hit every phase: before the swap, during it, and after.
    if (previous) expect(seen).toEqual(new Set(['old', 'none', 'new']));
    else expect(seen).toEqual(new Set(['none', 'new']));
  });
});
