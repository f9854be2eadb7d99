import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';

/** A fresh App writing into its own temporary folder. */
export function tempApp(): App {
  return new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cozy-test-')) });
}

/** One reported validation problem: the construct path and the message. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

/**
 * Synthesizes the app and returns the problems cdk8s's validation reported
 * (`[path] message` lines), or [] when synthesis succeeded.
 */
export function synthProblems(app: App): Problem[] {
  try {
    app.synth();
    return [];
  } catch (e: any) {
    const text = String(e.message);
    if (!text.startsWith('Validation failed')) throw e;
    return text.split('\n').slice(1).map(l => {
      const m = /^\s*\[([^\]]*)\] (.*)$/.exec(l);
      if (!m) throw new Error(`unexpected validation line: ${l}`);
      return { path: m[1], message: m[2] };
    });
  }
}

/** Reads a written bundle's JSON file. */
export function readJson(app: App, file: string): any {
  return JSON.parse(fs.readFileSync(path.join(app.outdir, file), 'utf8'));
}
