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
import { App, Chart, Names, YamlOutputType } from 'cdk8s';
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
  /** The charts of tenant-cluster objects, which contribute nothing to cdk8s's own files. */
  tenantClusterCharts(): Chart[];
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
  public phase?: SynthesisPhase;
  /** The platforms of the App, in declaration order. */
  public readonly platforms: BundleWriter[] = [];

  private constructor(app: App) {
    const base = Object.getPrototypeOf(app).constructor as typeof App;
    const synth = base.prototype.synth;
    const synthYaml = base.prototype.synthYaml;
    const self = this;
    // The two methods are overridden in a subclass made for this App, not assigned to the
    // instance: a program in Python, Java or Go calls them through the jsii kernel, which
    // looks a method up on `instance.constructor.prototype` and never sees instance properties.
    class PlatformApp extends base {
      public synth(): void {
        const refused = REFUSED_OUTPUT_TYPES.get(this.yamlOutputType);
        if (refused && self.platforms.length > 0) throw new Error(MESSAGES.outputTypeRefused(refused));
        self.phase = 'files';
        try {
          synth.call(this);
        } finally {
          self.phase = undefined;
        }
        for (const p of self.platforms) {
          removeEmptyChartFiles(this, p.tenantClusterCharts());
          p.writeBundle();
        }
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
}

/**
 * cdk8s writes a file for every chart, even one that contributed no object. A tenant
 * cluster's chart never contributes to the App's files, so its empty file is removed
 * (the objects are in the cluster's own bundle). Only empty files are touched.
 */
function removeEmptyChartFiles(app: App, charts: Chart[]): void {
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
