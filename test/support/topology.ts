/**
 * `topology.json` of a written bundle as the CLI and the reports read it: the file states
 * each kind's facts once, so tests read it through the same expansion as `readBundle`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TOPOLOGY_FILE } from '../../src/bundle/compute';
import { parseTopology } from '../../src/bundle/read';
import { compactTopology } from '../../src/bundle/topology-file';
import { Topology } from '../../src/report/model';

/** The topology of the bundle in `dir`, expanded. */
export function readTopologyFile(dir: string): Topology {
  const file = path.join(dir, TOPOLOGY_FILE);
  return parseTopology(fs.readFileSync(file, 'utf8'), file);
}

/** Writes a topology into `dir` in the form synthesis writes it. */
export function writeTopologyFile(dir: string, topology: Topology): void {
  fs.writeFileSync(path.join(dir, TOPOLOGY_FILE), JSON.stringify(compactTopology(topology), null, 2) + '\n');
}
