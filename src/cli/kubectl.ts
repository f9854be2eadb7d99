/**
 * Running the user's kubectl (their kubeconfig and context, or the ones passed).
 */
import { spawn } from 'child_process';

export interface KubectlOptions {
  /** The kubectl binary. @default "kubectl" */
  readonly kubectl?: string;
  readonly context?: string;
  readonly kubeconfig?: string;
}

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export class Kubectl {
  constructor(private readonly options: KubectlOptions) {}

  /** Runs kubectl; `onLine` receives stdout lines as they come. Never throws for a non-zero exit. */
  public run(args: string[], input?: string, onLine?: (line: string) => void): Promise<KubectlResult> {
    const full = [...this.globalArgs(), ...args];
    return new Promise((resolve, reject) => {
      const child = spawn(this.options.kubectl ?? 'kubectl', full, { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let pending = '';
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (d: string) => {
        stdout += d;
        if (!onLine) return;
        pending += d;
        const lines = pending.split('\n');
        pending = lines.pop()!;
        lines.forEach(onLine);
      });
      child.stderr.on('data', (d: string) => { stderr += d; });
      child.on('error', e => reject(new Error(`Could not run kubectl (${this.options.kubectl ?? 'kubectl'}): ${e.message}. Install kubectl or pass --kubectl <path>.`)));
      child.on('close', code => {
        if (onLine && pending) onLine(pending);
        resolve({ code: code ?? 1, stdout, stderr });
      });
      child.stdin.on('error', () => { /* kubectl may exit before reading stdin; its exit code says why */ });
      child.stdin.end(input ?? '');
    });
  }

  private globalArgs(): string[] {
    const out: string[] = [];
    if (this.options.kubeconfig) out.push(`--kubeconfig=${this.options.kubeconfig}`);
    if (this.options.context) out.push(`--context=${this.options.context}`);
    return out;
  }
}

/** kubectl's name for a kind: `tenant.v1alpha1.apps.cozystack.io`, unambiguous whatever else the cluster serves. */
export function resourceName(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return group ? `${kind.toLowerCase()}.${version}.${group}` : kind.toLowerCase();
}

/** Parses a duration such as `15m`, `90s`, `1h30m`, `500ms` into milliseconds. */
export function parseDuration(s: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 3600_000 : m[2] === 'm' ? n * 60_000 : m[2] === 's' ? n * 1000 : n;
    consumed += m[0].length;
  }
  if (consumed !== s.length || s.length === 0 || total <= 0) {
    throw new Error(`"${s}" is not a duration: use e.g. 15m, 90s, 1h30m.`);
  }
  return total;
}
