/**
 * A minimal Kubernetes REST client for the test cluster's own tools (the test
 * reconciler, the cluster helper): bearer token over HTTPS on loopback, JSON in
 * and out, and watch streams. Not for the code under test, which talks through
 * kubectl.
 */
import * as https from 'https';

export interface KubeTarget {
  /** `https://127.0.0.1:<port>` */
  readonly server: string;
  readonly token: string;
}

export class KubeError extends Error {
  constructor(readonly status: number, readonly body: any, method: string, urlPath: string) {
    super(`${method} ${urlPath}: ${status} ${typeof body === 'object' && body?.message ? body.message : JSON.stringify(body)}`);
  }
}

export class KubeClient {
  private readonly agent = new https.Agent({ keepAlive: true, maxSockets: 64, rejectUnauthorized: false });

  constructor(readonly target: KubeTarget) {}

  get<T = any>(urlPath: string): Promise<T> {
    return this.request('GET', urlPath);
  }

  /** GET that answers undefined for 404. */
  async tryGet<T = any>(urlPath: string): Promise<T | undefined> {
    try {
      return await this.get<T>(urlPath);
    } catch (e) {
      if (e instanceof KubeError && e.status === 404) return undefined;
      throw e;
    }
  }

  post<T = any>(urlPath: string, body: unknown): Promise<T> {
    return this.request('POST', urlPath, body);
  }

  put<T = any>(urlPath: string, body: unknown): Promise<T> {
    return this.request('PUT', urlPath, body);
  }

  mergePatch<T = any>(urlPath: string, body: unknown): Promise<T> {
    return this.request('PATCH', urlPath, body, 'application/merge-patch+json');
  }

  jsonPatch<T = any>(urlPath: string, body: unknown): Promise<T> {
    return this.request('PATCH', urlPath, body, 'application/json-patch+json');
  }

  delete<T = any>(urlPath: string): Promise<T> {
    return this.request('DELETE', urlPath);
  }

  request<T = any>(method: string, urlPath: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const url = new URL(urlPath, this.target.server);
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise<T>((resolve, reject) => {
      const req = https.request(url, {
        method,
        agent: this.agent,
        headers: {
          Authorization: `Bearer ${this.target.token}`,
          Accept: 'application/json',
          ...(data ? { 'Content-Type': contentType, 'Content-Length': data.length } : {}),
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: any = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // keep the text
          }
          if ((res.statusCode ?? 0) >= 400) reject(new KubeError(res.statusCode ?? 0, parsed, method, urlPath));
          else resolve(parsed as T);
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${urlPath}: timed out`)));
      if (data) req.write(data);
      req.end();
    });
  }

  /**
   * Watches a collection from `resourceVersion`; calls `onEvent` per event and
   * resolves when the server closes the stream (the caller lists and watches again).
   */
  watch(urlPath: string, resourceVersion: string, onEvent: (type: string, obj: any) => void, signal?: AbortSignal): Promise<void> {
    const sep = urlPath.includes('?') ? '&' : '?';
    const url = new URL(`${urlPath}${sep}watch=1&allowWatchBookmarks=true&resourceVersion=${resourceVersion}&timeoutSeconds=300`, this.target.server);
    return new Promise<void>((resolve, reject) => {
      const req = https.request(url, {
        method: 'GET',
        agent: this.agent,
        signal,
        headers: { Authorization: `Bearer ${this.target.token}`, Accept: 'application/json' },
      }, (res) => {
        if ((res.statusCode ?? 0) >= 400) {
          res.resume();
          reject(new KubeError(res.statusCode ?? 0, 'watch refused', 'WATCH', urlPath));
          return;
        }
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (!line) continue;
            try {
              const ev = JSON.parse(line);
              onEvent(ev.type, ev.object);
            } catch (e) {
              reject(e);
            }
          }
        });
        res.on('end', () => resolve());
        res.on('error', (e) => (signal?.aborted ? resolve() : reject(e)));
      });
      req.on('error', (e) => (signal?.aborted ? resolve() : reject(e)));
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
