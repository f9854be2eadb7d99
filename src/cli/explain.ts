/**
 * `cdk8s-cozystack explain <target>`: reads `topology.json` of a synthesized bundle and
 * prints what `explainTopology` (a pure renderer in `report/`) makes of one app or tenant.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { INDEX_FILE, TOPOLOGY_FILE } from '../bundle/compute';
import { BundleError, parseTopology } from '../bundle/read';
import { ExplainError, explainTopology } from '../report/explain';
import { Topology } from '../report/model';

export { ExplainError } from '../report/explain';

/** Reads `topology.json` of a bundle and expands it, refusing half-written bundles and those of other formats. */
export function readTopology(bundleDir: string): Topology {
  const file = path.join(bundleDir, TOPOLOGY_FILE);
  const indexFile = path.join(bundleDir, INDEX_FILE);
  if (!fs.existsSync(file)) {
    throw new ExplainError(`${file} does not exist: ${bundleDir} is not a synthesized bundle. Synthesize first (e.g. cdk8s synth), `
      + 'or pass the bundle folder with --bundle.');
  }
  if (!fs.existsSync(indexFile)) {
    throw new ExplainError(`${bundleDir} has no ${INDEX_FILE}: the bundle is incomplete (${INDEX_FILE} is written last). Synthesize again.`);
  }
  try {
    return parseTopology(fs.readFileSync(file, 'utf8'), file);
  } catch (e) {
    if (e instanceof BundleError) throw new ExplainError(e.message);
    throw e;
  }
}

/**
 * Explains one app or tenant of the bundle in `bundleDir`. `target` is a construct
 * path (`platform/u1/u2/db1`), `namespace/name` (`tenant-u1-u2/db1`), or a tenant
 * namespace (`tenant-u1`). Throws {@link ExplainError} with close matches for an
 * unknown target.
 */
export function explain(bundleDir: string, target: string): string {
  return explainTopology(readTopology(bundleDir), target);
}

/** Adds `explain <target> [--bundle dist]` to a commander program; the answer goes to `out`. */
export function registerExplainCommand(program: Command, out: (text: string) => void = t => process.stdout.write(t)): Command {
  return program
    .command('explain')
    .description('Explain an app or tenant of a synthesized bundle: where its data lives, how it is reached, where its metrics go, '
      + 'who may manage it and which Secrets hold its credentials')
    .argument('<target>', 'construct path (platform/u1/u2/db1), namespace/name (tenant-u1-u2/db1) or tenant namespace (tenant-u1)')
    .option('--bundle <dir>', 'the synthesized bundle folder', 'dist')
    .action(function (this: Command, target: string, opts: { bundle: string }) {
      try {
        out(explain(opts.bundle, target));
      } catch (e) {
        if (e instanceof ExplainError) this.error(`error: ${e.message}`, { exitCode: 1, code: 'cozystack.explain' });
        throw e;
      }
    });
}
