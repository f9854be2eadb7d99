/**
 * The one output step of a platform, and what tells `toJson()` which kind of synthesis
 * asked for it. cdk8s's `app.synth()` writes files and `app.synthYaml()` returns a
 * string; both validate the App and then ask every chart for its objects. The library
 * wraps the two methods of the App its RootTenant lives in (once per App, in a subclass
 * made for that App) to record which one runs: during `app.synth()` the platform chart
 * contributes nothing to cdk8s's own per-chart files, and after cdk8s has written them
 * the bundle is written as the explicit last step. Nothing else writes, and `toJson()` never does.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Names, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { printWarnings } from '../../bundle/write';
import { MESSAGES } from '../../domain/rules';

const SYNTHESIS = Symbol.for('cdk8s-cozystack.Synthesis');

/** Which synthesis of the App is running. */
export type SynthesisPhase = 'files' | 'stream';

/** A platform whose bundle the App's `synth()` writes. */
export interface BundleWriter {
  /** The platform's construct path. */
  readonly path: string;
  /** Writes the platform's bundle into the App's output directory. */
  writeBundle(): void;
  /** The platform's warnings, printed also when the synthesis fails (a warning is no less true then). */
  warnings(): string[];
}

/** cdk8s output types that write each object apart, bypassing the charts' `toJson()`. */
const REFUSED_OUTPUT_TYPES: ReadonlyMap<YamlOutputType, string> = new Map([
  [YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE, 'FOLDER_PER_CHART_FILE_PER_RESOURCE'],
]);

/** The synthesis state of one App. */
export class Synthesis {
  /** The App's synthesis state, installing the hooks the first time. */
  public static of(app: App): Synthesis {
    const holder = app as unknown as { [SYNTHESIS]?: Synthesis };
    let s = holder[SYNTHESIS];
    if (!s) {
      s = new Synthesis(app);
      Object.defineProperty(app, SYNTHESIS, { value: s });
    }
    return s;
  }

  /** The running synthesis, if any. */
  public get phase(): SynthesisPhase | undefined {
    return this.running;
  }
  public set phase(phase: SynthesisPhase | undefined) {
    this.running = phase;
    this.memos = phase ? new Map() : undefined;
  }
  /** The platforms of the App, in declaration order. */
  public readonly platforms: BundleWriter[] = [];
  /** The charts of tenant-cluster objects, which contribute nothing to cdk8s's own files. */
  public readonly workloadCharts: Chart[] = [];

  private running?: SynthesisPhase;
  /** What was computed once during the running synthesis, by slot and construct (dropped when it ends). */
  private memos?: Map<object, Map<IConstruct, unknown>>;

  private constructor(app: App) {
    const base = Object.getPrototypeOf(app).constructor as typeof App;
    const synth = base.prototype.synth;
    const synthYaml = base.prototype.synthYaml;
    const self = this;
    const chartsGetterIsCdk8s = getterOf(base.prototype, 'charts') === getterOf(App.prototype, 'charts');
    // The two methods are overridden in a subclass made for this App, not assigned to the
    // instance: a program in Python, Java or Go calls them through the jsii kernel, which
    // looks a method up on `instance.constructor.prototype` and never sees instance properties.
    class PlatformApp extends base {
      public synth(): void {
        const refused = REFUSED_OUTPUT_TYPES.get(this.yamlOutputType);
        if (refused && self.platforms.length > 0) throw new Error(MESSAGES.outputTypeRefused(refused));
        // cdk8s creates the output directory before it validates: one it created for a synthesis
        // that fails is removed again (nothing is written when the program has a problem).
        const created = !fs.existsSync(this.outdir);
        self.phase = 'files';
        try {
          synth.call(this);
          removeEmptyChartFiles(this, self.workloadCharts);
          for (const p of self.platforms) p.writeBundle();
        } catch (e) {
          if (created && fs.existsSync(this.outdir) && fs.readdirSync(this.outdir).length === 0) fs.rmdirSync(this.outdir);
          printWarningsOf(self.platforms);
          throw e;
        } finally {
          self.phase = undefined;
        }
      }

      /**
       * The App's charts in cdk8s's order. cdk8s builds a dependency graph of every construct
       * of the tree to sort them (a third of a second per 50,000 constructs); when no construct
       * of the tree declares a dependency, that order is the tree's pre-order (see chartsWithoutDependencies).
       */
      public get charts(): Chart[] {
        // Only where the getter is cdk8s's own (an App subclass of the program's may choose its charts),
        // and computed on every read: cdk8s adds dependencies between nested charts during synth().
        if (!chartsGetterIsCdk8s) return super.charts;
        return chartsWithoutDependencies(this) ?? super.charts;
      }

      public synthYaml(): string {
        self.phase = 'stream';
        try {
          return synthYaml.call(this);
        } finally {
          self.phase = undefined;
        }
      }
    }
    Object.setPrototypeOf(app, PlatformApp.prototype);
  }

  /** The value of `compute` for a construct, computed once while a synthesis runs. */
  public once<T>(slot: object, construct: IConstruct, compute: () => T): T {
    if (!this.memos) return compute();
    let bySlot = this.memos.get(slot) as Map<IConstruct, T> | undefined;
    if (!bySlot) {
      bySlot = new Map();
      this.memos.set(slot, bySlot);
    }
    const known = bySlot.get(construct);
    if (known !== undefined || bySlot.has(construct)) return known as T;
    const value = compute();
    bySlot.set(construct, value);
    return value;
  }
}

/**
 * What a construct computes from the finished tree (a rendered spec, the platform's objects),
 * computed once per synthesis of its App: validation, warnings and the bundle all read it, and
 * nothing changes the tree while a synthesis runs. Outside a synthesis it is computed on every
 * call. Callers share the value: never change it. `slot` tells the values of one construct apart.
 * @internal
 */
export function oncePerSynthesis<T>(construct: IConstruct, slot: object, compute: () => T): T {
  // An object's chart is a field: fewer scopes to climb to the App.
  const app = App.of(ApiObject.isApiObject(construct) ? construct.chart : construct);
  const synthesis = (app as unknown as { [SYNTHESIS]?: Synthesis })[SYNTHESIS];
  return synthesis ? synthesis.once(slot, construct, compute) : compute();
}

/**
 * The charts of a tree in the order cdk8s's `App.charts` gives them, if no construct of the
 * tree declares a dependency (undefined otherwise: cdk8s's graph then decides). Without edges
 * cdk8s's topology lists its vertices as it stored them: in an object keyed by construct path,
 * filled in pre-order, whose array-index keys (a top-level id such as `0`) JavaScript lists
 * first, in numeric order. test/synthesis.test.ts compares the two on trees of both kinds.
 * @internal
 */
export function chartsWithoutDependencies(app: App): Chart[] | undefined {
  const indexed: Array<{ index: number; chart: Chart }> = [];
  const rest: Chart[] = [];
  let dependencies = false;
  // Only a top-level construct's path can be an array index (any deeper path holds a "/").
  const visit = (c: IConstruct, topLevel: boolean): void => {
    if (!dependencies && c.node.dependencies.length > 0) dependencies = true;
    if (Chart.isChart(c)) {
      const id = c.node.id;
      if (topLevel && ARRAY_INDEX.test(id) && Number(id) < 2 ** 32 - 1) indexed.push({ index: Number(id), chart: c });
      else rest.push(c);
    }
    for (const child of c.node.children) visit(child, c === app);
  };
  visit(app, false);
  if (dependencies) return undefined;
  return [...indexed.sort((a, b) => a.index - b.index).map(x => x.chart), ...rest];
}

/** The getter of a property, looked up the prototype chain. */
function getterOf(proto: object | null, name: string): unknown {
  for (let p = proto; p; p = Object.getPrototypeOf(p)) {
    const d = Object.getOwnPropertyDescriptor(p, name);
    if (d) return d.get;
  }
  return undefined;
}

/** A canonical array index as JavaScript orders object keys: `0` or digits without a leading zero. */
const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

/** The platforms' warnings on stderr, as far as a tree that failed to synthesize lets them be read. */
function printWarningsOf(platforms: readonly BundleWriter[]): void {
  for (const p of platforms) {
    let warnings: string[];
    try {
      warnings = p.warnings();
    } catch {
      continue; // a tree too broken to read: its problems are what the error reports
    }
    printWarnings(warnings);
  }
}

/**
 * cdk8s writes a file for every chart, even one that contributed no object. A tenant
 * cluster's chart never contributes to the App's files, so its empty file is removed
 * (the objects are in the cluster's own bundle). Only empty files are touched.
 */
function removeEmptyChartFiles(app: App, charts: readonly Chart[]): void {
  if (app.yamlOutputType !== YamlOutputType.FILE_PER_CHART || charts.length === 0) return;
  const all = app.charts;
  for (const chart of charts) {
    const name = Names.toDnsLabel(chart);
    const indexed = `${String(all.indexOf(chart)).padStart(4, '0')}-${name}`;
    for (const candidate of [name, indexed]) {
      const file = path.join(app.outdir, candidate + app.outputFileExtension);
      if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').trim() === '') fs.rmSync(file);
    }
  }
}
