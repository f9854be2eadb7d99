import { cdk8s, javascript, JsonFile } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-cozystack',
  packageName: 'cdk8s-cozystack',
  description: 'Declare Cozystack tenants, cluster services, tenant Kubernetes clusters and managed Postgres as cdk8s constructs, and synthesize a wave-ordered bundle for the Cozystack management cluster.',
  author: 'cdk8s-cozystack maintainers',
  authorAddress: 'maintainers@users.noreply.r-seed-a4512828.example',
  repositoryUrl: 'https://github.com/maintainers/cdk8s-cozystack.git',
  defaultReleaseBranch: 'main',
  keywords: ['cdk8s', 'cozystack', 'kubernetes', 'tenant', 'platform'],
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  cdk8sVersion: '2.70.106',
  constructsVersion: '10.3.0',
  jsiiVersion: '~6.0.0',

  // Packages for the other languages cdk8s is used from, named after cdk8s-plus-28's targets
  // (org.cdk8s / cdk8s-plus-28, cdk8s_plus_28, github.com/cdk8s-team/cdk8s-plus-go).
  // No .NET: the machines have no dotnet toolchain to build or test it with.
  publishToPypi: { distName: 'cdk8s-cozystack', module: 'cdk8s_cozystack' },
  publishToMaven: { javaPackage: 'org.cdk8s.cozystack', mavenGroupId: 'org.cdk8s', mavenArtifactId: 'cdk8s-cozystack' },
  publishToGo: { moduleName: 'github.com/maintainers/cdk8s-cozystack-go', packageName: 'cdk8scozystack' },

  // cdk8s-plus-28 types appear in the public API (ISecret, IConfigMap, tenant-cluster workloads).
  peerDeps: ['cdk8s-plus-28@^2.5.6'],
  // Plain npm libraries (not jsii modules) must be bundled into the jsii package.
  bundledDeps: ['ajv@^8.17.1', 'yaml@^2.8.1', 'commander@^14.0.0'],
  devDeps: ['fast-check@^4.3.0', 'cdk8s-plus-28@^2.5.6', 'kubernetes-models@4.5.1', '@kubernetes-models/flux-cd@4.0.0', 'fast-xml-parser@^5.12.1'],

  // No CI/release machinery of projen's own: CI here is `.ci/run`.
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  // `npm test` must never rewrite sources: the eslint task (which the test task spawns) only checks;
  // `npx projen eslint:fix` fixes.
  eslintOptions: { dirs: ['src', 'scripts'], devdirs: ['test', 'examples', 'bench'], commandOptions: { fix: false } },
  jestOptions: {
    // Snapshots are never rewritten by the test task (projen's default passes --updateSnapshot).
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      testTimeout: 120_000,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // Coverage instrumentation slows ts-jest a lot; `npx projen test:coverage` collects it on demand.
      collectCoverage: false,
      // Two cores: jest's default (cores - 1) leaves one worker for 30 files.
      maxWorkers: 2,
      // .cache/ holds the language tests' builds (a copy of package.json, whose name collides), a venv
      // and a Maven repository: jest has nothing to find there, and crawling it slows every start.
      modulePathIgnorePatterns: ['<rootDir>/.cache/'],
    },
  },
  gitignore: ['/.cache/', '/dist/', '/.bench-tmp/'],
  npmignoreEnabled: true,
});

// The chart data the library validates against is a committed copy of ../shared/cozystack
// (values and schemas as JSON, upstream prose stripped). This task refreshes it when ../shared exists.
project.addTask('refresh-charts', {
  description: 'Refresh charts/ from ../shared/cozystack (JSON, descriptions stripped) and regenerate the validators',
  exec: 'ts-node -P test/tsconfig.json scripts/refresh-charts.ts',
});

// Typed props: interfaces generated from charts/ into src/generated, before every compile.
const genTypes = project.addTask('gen-types', {
  description: 'Generate src/generated (typed chart values) from charts/',
  exec: 'ts-node -P test/tsconfig.json scripts/gen-types.ts',
});
project.preCompileTask.spawn(genTypes);

// Chart-schema validators: ajv's standalone code for each chart's values schema, generated into
// charts/<release>/validators/ before every compile (and by refresh-charts), so that no synthesis
// compiles a schema (120-150 ms per process); src/domain/charts.ts loads them.
const genValidators = project.addTask('gen-validators', {
  description: 'Generate charts/<release>/validators (precompiled ajv validators of the chart schemas) from charts/',
  exec: 'ts-node -P test/tsconfig.json scripts/gen-validators.ts',
});
project.preCompileTask.spawn(genValidators);
project.gitattributes.addAttributes('/charts/*/validators/*.js', 'linguist-generated');

project.addTask('bench', {
  description: 'Synthesis benchmark (issue 7): the library against the plain-cdk8s floor, 100 to 100,000 tenants',
  exec: 'ts-node -P bench/tsconfig.json bench/bench.ts',
  receiveArgs: true,
});

project.addBins({ 'cdk8s-cozystack': 'lib/cli/main.js' });

// The Java and Go packages build against the peers' bindings, which Maven Central and the Go proxy
// reachable here lack at these versions: scripts/peer-bindings.ts builds them from node_modules/ into
// .cache/jsii-peers/ once per version. Maven keeps its downloads in .cache/m2 rather than a fresh
// temporary repository per build (jsii-pacmak's default), and the language tests share both.
project.addTask('peer-bindings', {
  description: 'Build the Java and Go bindings of cdk8s and cdk8s-plus-28 that the registries lack, into .cache/jsii-peers',
  exec: 'ts-node -P scripts/tsconfig.json scripts/peer-bindings.ts',
  receiveArgs: true,
});
for (const lang of ['java', 'go']) {
  const task = project.tasks.tryFind(`package:${lang}`)!;
  task.reset(`ts-node -P scripts/tsconfig.json scripts/peer-bindings.ts ${lang}`);
  task.exec(`jsii-pacmak -v --target ${lang}${lang === 'java' ? ' --maven-local-repository=.cache/m2' : ''}`);
}
// What the language tests' projects leave when run by hand in place (the tests run them in copies under .cache/).
project.gitignore.exclude('__pycache__/', '/test/polyglot/java/target/', '/test/polyglot/go/go.sum');

project.addTask('example', {
  description: 'Synthesize the example platform into dist/ and print its tenant tree',
  exec: 'ts-node -P test/tsconfig.json examples/platform.ts',
});

// The package holds only what runs: lib/, charts/, .jsii, API.md, README.md, LICENSE and the bundled
// dependencies (test/pack.test.ts asserts the list). Everything the tools, the tests and the benchmark
// leave in the work tree stays out: .cache/ holds kubectl and helm binaries (38 MB), *.tgz earlier packs.
for (const p of [
  '/scripts/', '/examples/', '/bench/', '/.ci/', '/docs/',
  '/.cache/', '/.bench-tmp/', '/dist/', '/coverage/', '/test-reports/', '/test/', '/cdk8s.out/',
  '*.tgz', '*.log', '/cdk8s.yaml', '.DS_Store', '*.cpuprofile', '*.heapprofile',
]) project.addPackageIgnore(p);

project.addTask('eslint:fix', {
  description: 'Runs eslint and fixes what it can (the eslint task, which the test task spawns, only checks)',
  steps: [{ spawn: 'eslint', args: ['--fix'], receiveArgs: true }],
});

project.addTask('test:coverage', {
  description: 'Run jest with coverage (off in the test task: instrumentation slows ts-jest)',
  steps: [{ exec: 'jest --ci --coverage', receiveArgs: true }],
});

// Import direction (issue 11): constructs and cli on top (neither imports the other), then bundle, report,
// domain, and generated at the bottom.
// Each layer lists what it may import; anything else under src/ is an error. test/lint-layers.test.ts plants violations.
const LAYERS: Record<string, string[]> = {
  domain: ['domain', 'generated'],
  report: ['report', 'domain', 'generated'],
  bundle: ['bundle', 'domain', 'report', 'generated'],
  constructs: ['constructs', 'domain', 'bundle', 'generated'],
  cli: ['cli', 'domain', 'bundle', 'report'],
  generated: ['generated'],
};
project.eslint?.addRules({
  'import/no-restricted-paths': ['error', {
    zones: [
      ...Object.entries(LAYERS).map(([layer, may]) => ({
        target: `./src/${layer}`,
        from: './src',
        except: may.map(l => `./${l}`),
        message: `src/${layer} may import only ${may.map(l => `src/${l}`).join(', ')} (layer rule, .projenrc.ts).`,
      })),
      {
        target: ['./src/!(cli)/**/*', './src/*'],
        from: './src/cli',
        message: 'Only src/cli imports src/cli (layer rule, .projenrc.ts).',
      },
    ],
  }],
  'import/no-cycle': ['error', { ignoreExternal: true }],
});
// A jest test file is never imported, so it is on no cycle; the cycles it reaches are reported in the
// files on them. Checking from every test file doubled eslint's time.
project.eslint?.addOverride({ files: ['test/**/*.test.ts'], rules: { 'import/no-cycle': 'off' } });

// ts-jest only transpiles (isolatedModules): type-check the tests, and what they import, first.
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json');

// Tools (scripts, the example, the benchmark) are type-checked and linted like tests.
for (const dir of ['scripts', 'examples', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../tsconfig.json', compilerOptions: { noEmit: true, rootDir: '..' }, include: ['**/*.ts', '../src/**/*.ts'] },
  });
}

project.synth();
