/**
 * `cdk8s-cozystack synth`: runs a user's program as `cdk8s synth` does and reports the bundle.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Captured, TempDirs } from './support/bundles';
import { run } from '../src/cli/main';

const REPO = path.resolve(__dirname, '..');
const dirs = new TempDirs();
afterAll(() => dirs.cleanup());

/** A user program in its own folder, using this checkout of the library through ts-node. */
function project(body: string, config?: string): string {
  const dir = dirs.make('synth-');
  fs.writeFileSync(path.join(dir, 'main.js'), [
    `require(${JSON.stringify(path.join(REPO, 'node_modules', 'ts-node'))}).register({ transpileOnly: true, project: ${JSON.stringify(path.join(REPO, 'tsconfig.json'))} });`,
    `const { App } = require(${JSON.stringify(path.join(REPO, 'node_modules', 'cdk8s'))});`,
    `const lib = require(${JSON.stringify(path.join(REPO, 'src'))});`,
    'const app = new App();',
    'const root = new lib.RootTenant(app, "platform", { host: "example.org" });',
    'new lib.EtcdService(root);',
    body,
    'app.synth();',
  ].join('\n'));
  if (config !== undefined) fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), config);
  return dir;
}

async function synth(cwd: string, ...args: string[]): Promise<Captured & { code: number }> {
  const c = new Captured();
  const before = process.cwd();
  process.chdir(cwd);
  try {
    return Object.assign(c, { code: await run(['synth', ...args], c.io) });
  } finally {
    process.chdir(before);
  }
}

describe('synth', () => {
  test('runs the app of cdk8s.yaml with CDK8S_OUTDIR and reports waves, counts and warnings', async () => {
    const dir = project([
      'const foo = new lib.Tenant(root, "foo", { host: "foo.other.org" });',
      'new lib.Postgres(foo, "db1", {});',
    ].join('\n'), 'language: typescript\napp: node main.js\n');
    const r = await synth(dir, '--output', 'out');
    expect(r.stderr).not.toContain('failed');
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'out', 'index.json'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
    expect(r.stdout).toContain(`Bundle ${path.join(fs.realpathSync(dir), 'out')} (Cozystack v1.6): 2 waves, 3 objects`);
    expect(r.stdout).toContain('  wave 0 (wave-00.k8s.yaml): 2 objects (2 Tenant); then waits for 2 Tenants');
    expect(r.stdout).toContain('  wave 1 (wave-01.k8s.yaml): 1 object (1 Postgres)');
    expect(r.stdout).toMatch(/Warnings \(1\):\n {2}\[platform\/foo\]/);
  }, 60_000);

  test('a failing program fails synth with its errors, and leaves no bundle that looks current', async () => {
    const dir = project('new lib.Postgres(new lib.Tenant(root, "foo"), "db-1-", {});');
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(dir, 'dist', 'index.json'), '{}');
    const r = await synth(dir, '--app', 'node main.js');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('platform/foo/db-1-');
    expect(r.stderr).toContain('Synthesis failed: "node main.js" exited with code 1');
    expect(fs.existsSync(path.join(dir, 'dist', 'index.json'))).toBe(false);
  }, 60_000);

  test('without cdk8s.yaml or --app there is nothing to run', async () => {
    const r = await synth(dirs.make('empty-'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('has no "app" (or does not exist). Pass --app');
  });
});
