/**
 * The import direction between the layers of src/ (issue 11), enforced by eslint
 * (`import/no-restricted-paths` zones and `import/no-cycle`, configured in .projenrc.ts):
 *
 *   domain     -> domain, generated
 *   report     -> report, domain, generated
 *   bundle     -> bundle, domain, report, generated
 *   constructs -> constructs, domain, bundle, generated
 *   cli        -> cli, domain, bundle, report
 *   generated  -> generated
 *   nothing outside src/cli imports src/cli; no import cycles.
 *
 * Violations are planted in a copy of src/ in a temporary directory (never in the work tree,
 * where other tools and people would see them) and must be reported; the copied files of src/
 * must have none. One eslint run over the copy checks both, with the two rules exactly as the
 * repository's .eslintrc.json configures them, its parser and resolver settings, and nothing else
 * (the full config type-checks every file).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const RULES = ['import/no-restricted-paths', 'import/no-cycle'];
const LAYERS = ['domain', 'report', 'bundle', 'constructs', 'cli', 'generated'] as const;
type Layer = typeof LAYERS[number];
const MAY_IMPORT: Record<Layer, Layer[]> = {
  domain: ['domain', 'generated'],
  report: ['report', 'domain', 'generated'],
  bundle: ['bundle', 'domain', 'report', 'generated'],
  constructs: ['constructs', 'domain', 'bundle', 'generated'],
  cli: ['cli', 'domain', 'bundle', 'report'],
  generated: ['generated'],
};

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly message: string;
}

/** The layer rules of the repository's .eslintrc.json, alone, as a config file in `dir`. */
function layerConfig(dir: string): string {
  const text = fs.readFileSync(path.join(ROOT, '.eslintrc.json'), 'utf8');
  const config = JSON.parse(text.slice(text.indexOf('{')));
  for (const rule of RULES) if (!config.rules?.[rule]) throw new Error(`.eslintrc.json does not configure ${rule} (see .projenrc.ts)`);
  const file = path.join(dir, 'layers.eslintrc.json');
  fs.writeFileSync(file, JSON.stringify({
    root: true,
    parser: require.resolve(config.parser, { paths: [ROOT] }),
    parserOptions: { ecmaVersion: 2018, sourceType: 'module' },
    plugins: ['import'],
    settings: config.settings,
    rules: Object.fromEntries(RULES.map(r => [r, config.rules[r]])),
  }));
  return file;
}

/** Runs eslint with the layer rules from `cwd` and returns what they report. */
function lint(cwd: string, configFile: string, targets: string[]): Finding[] {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'),
    '--no-eslintrc', '--config', configFile, '--resolve-plugins-relative-to', ROOT,
    '--ext', '.ts', '--no-error-on-unmatched-pattern', '--format', 'json', ...targets], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ESLINT_USE_FLAT_CONFIG: 'false', NODE_NO_WARNINGS: '1' },
  });
  if (r.error) throw r.error;
  // 0: clean, 1: lint errors; anything else is eslint itself failing.
  if (r.status !== 0 && r.status !== 1) throw new Error(`eslint exited ${r.status}:\n${r.stderr}${r.stdout.slice(0, 2000)}`);
  const results: any[] = JSON.parse(r.stdout);
  const fatal = results.flatMap(f => f.messages.filter((m: any) => m.fatal).map((m: any) => `${f.filePath}: ${m.message}`));
  if (fatal.length) throw new Error(`eslint could not parse:\n${fatal.join('\n')}`);
  return results.flatMap(f => f.messages
    .filter((m: any) => RULES.includes(m.ruleId))
    .map((m: any) => ({ file: path.relative(cwd, f.filePath).split(path.sep).join('/'), line: m.line, rule: m.ruleId, message: m.message })));
}

/** A module of the layer to import from the planted files (any file of the folder). */
function moduleOf(layer: Layer): string {
  const dir = path.join(ROOT, 'src', layer);
  const files = fs.readdirSync(dir).filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();
  if (!files.length) throw new Error(`src/${layer} has no .ts file to import`);
  const preferred = ['index.ts', 'main.ts'].find(f => files.includes(f)) ?? files[0];
  return preferred.replace(/\.ts$/, '');
}

const isPlanted = (file: string) => /\/__(planted|cycle)_[a-z_]*__\.ts$/.test(file);

let dir: string;
let findings: Finding[];
const planted: Array<{ file: string; from: Layer; to: Layer | 'root' }> = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-layers-'));
  fs.cpSync(path.join(ROOT, 'src'), path.join(dir, 'src'), { recursive: true });
  for (const f of ['tsconfig.json', 'package.json']) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');

  // Every layer importing every other layer: one file per pair.
  for (const from of LAYERS) {
    for (const to of LAYERS) {
      if (from === to) continue;
      const file = `src/${from}/__planted_${to}__.ts`;
      fs.writeFileSync(path.join(dir, file), `import * as m from '../${to}/${moduleOf(to)}';\n\nexport const planted = m;\n`);
      planted.push({ file, from, to });
    }
  }
  // The package's entry point beside the layers must not import the CLI either.
  fs.writeFileSync(path.join(dir, 'src/__planted_root__.ts'), "import * as m from './cli/main';\n\nexport const planted = m;\n");
  // A cycle of two modules inside one layer (allowed by the zones, refused by import/no-cycle).
  fs.writeFileSync(path.join(dir, 'src/domain/__cycle_a__.ts'), "import { b } from './__cycle_b__';\n\nexport const a = (): number => b() + 1;\n");
  fs.writeFileSync(path.join(dir, 'src/domain/__cycle_b__.ts'), "import { a } from './__cycle_a__';\n\nexport const b = (): number => a() - 1;\n");

  findings = lint(dir, layerConfig(dir), ['src']);
  // One excerpt of what a developer sees, for the record.
  const f = findings.find(x => x.file === 'src/domain/__planted_cli__.ts');
  if (f) console.log(`planted: ${f.file}:${f.line} ${f.rule}: ${f.message}`);
}, 180_000);

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('planted violations', () => {
  test('an import against the direction is an error, one along it is not', () => {
    const wrong: string[] = [];
    for (const p of planted) {
      if (p.to === 'root') continue;
      const got = findings.filter(f => f.file === p.file && f.rule === 'import/no-restricted-paths');
      const allowed = MAY_IMPORT[p.from].includes(p.to);
      if (allowed && got.length) wrong.push(`${p.from} -> ${p.to} is allowed but reported: ${got[0].message}`);
      if (!allowed && !got.length) wrong.push(`${p.from} -> ${p.to} is forbidden but not reported`);
    }
    expect(wrong).toEqual([]);
  });

  test('the message names the rule and what the layer may import', () => {
    const got = findings.filter(f => f.file === 'src/domain/__planted_cli__.ts').map(f => f.message);
    expect(got).toEqual(expect.arrayContaining([
      expect.stringContaining('src/domain may import only src/domain, src/generated'),
      expect.stringContaining('Only src/cli imports src/cli'),
    ]));
  });

  test('nothing outside src/cli imports src/cli, the entry point included', () => {
    for (const from of LAYERS.filter(l => l !== 'cli')) {
      expect(findings.filter(f => f.file === `src/${from}/__planted_cli__.ts` && f.message.includes('Only src/cli imports src/cli'))).toHaveLength(1);
    }
    expect(findings.filter(f => f.file === 'src/__planted_root__.ts').map(f => f.message))
      .toEqual([expect.stringContaining('Only src/cli imports src/cli')]);
  });

  test('an import cycle is an error', () => {
    const cycle = findings.filter(f => f.rule === 'import/no-cycle' && f.file.startsWith('src/domain/__cycle_'));
    expect(cycle.map(f => f.file).sort()).toEqual(['src/domain/__cycle_a__.ts', 'src/domain/__cycle_b__.ts']);
  });
});

test('the real src/ follows the layer rules and has no import cycle', () => {
  for (const layer of LAYERS) expect(fs.existsSync(path.join(ROOT, 'src', layer))).toBe(true);
  const found = findings.filter(f => !isPlanted(f.file)).map(f => `${f.file}:${f.line} ${f.rule}: ${f.message}`);
  expect(found).toEqual([]);
});
