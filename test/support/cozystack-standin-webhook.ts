/**
 * STAND-IN PART (with cozystack-standin.ts): a validating admission webhook on
 * loopback that gives the stand-in CRDs the behaviours of cozystack-api v1.6.2
 * that a CRD alone cannot have (pkg/registry/apps/application/rest.go):
 *
 * - **Server-side dry run is not honoured at all.** cozystack-api passes the
 *   request's options to controller-runtime as `client.CreateOptions{Raw: options}`
 *   / `DeleteOptions{Raw: ...}` and its Update uses fresh empty options; but
 *   controller-runtime's `AsCreateOptions`/`AsDeleteOptions` overwrite
 *   `Raw.DryRun` with the (empty) typed field, so every dry-run write, create,
 *   update, patch, server-side apply and delete alike, is executed for real
 *   (verified against cozystack-api v1.6.2 built from source, 2026-11-30; see
 *   test/cluster/README.md). This webhook does the same: on a dry-run request it
 *   makes the write for real, then lets the dry run answer. It declares
 *   `sideEffects: NoneOnDryRun`, which is exactly the promise cozystack-api breaks.
 * - Top-level `spec` keys starting with `_` are refused (`validateNoInternalKeys`,
 *   400 "values key ... is reserved").
 * - A Tenant whose computed namespace is longer than 63 characters is refused
 *   (`validateTenantNamespaceLength`).
 *
 * It runs inside the test reconciler's process (test-reconciler.ts starts it).
 */
import * as fs from 'fs';
import * as https from 'https';
import { KubeClient } from './kube-client';

export const STANDIN_WEBHOOK_NAME = 'standin.cozystack-api.test.cdk8s-cozystack.io';

export interface StandinWebhookConfig {
  readonly port: number;
  readonly certFile: string;
  readonly keyFile: string;
}

/** The ValidatingWebhookConfiguration that sends apps.cozystack.io writes to the webhook. */
export function standinWebhookConfiguration(port: number, caPem: string, ownUser: string): Record<string, unknown> {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: {
      name: 'cozystack-api-standin',
      labels: { 'test.cdk8s-cozystack.io/standin': 'cozystack-api' },
    },
    webhooks: [{
      name: STANDIN_WEBHOOK_NAME,
      admissionReviewVersions: ['v1'],
      // A lie on purpose: cozystack-api has side effects on dry-run updates.
      sideEffects: 'NoneOnDryRun',
      failurePolicy: 'Fail',
      timeoutSeconds: 10,
      matchPolicy: 'Equivalent',
      clientConfig: { url: `https://127.0.0.1:${port}/validate`, caBundle: Buffer.from(caPem).toString('base64') },
      // The reconciler's (Flux's) own writes need none of this.
      matchConditions: [{ name: 'not-the-test-reconciler', expression: `request.userInfo.username != '${ownUser}'` }],
      rules: [{ apiGroups: ['apps.cozystack.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['*'], scope: 'Namespaced' }],
    }],
  };
}

/** cozystack-api's computeTenantNamespace. */
function tenantNamespace(parentNamespace: string, name: string): string {
  if (parentNamespace === 'tenant-root' && name === 'root') return 'tenant-root';
  if (parentNamespace === 'tenant-root') return `tenant-${name}`;
  return `${parentNamespace}-${name}`;
}

/** Starts the webhook; `kube` is an admin client used for the writes a dry run makes. */
export function startStandinWebhook(cfg: StandinWebhookConfig, kube: KubeClient, log: (s: string) => void): Promise<https.Server> {
  const server = https.createServer({ cert: fs.readFileSync(cfg.certFile), key: fs.readFileSync(cfg.keyFile) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let review: any;
      try {
        review = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400).end();
        return;
      }
      review2response(review.request, kube, log).then(({ response, after }) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: review.request.uid, ...response } }));
        // A write that would make the dry run itself fail (AlreadyExists, NotFound) is made
        // just after the dry run has been answered.
        if (after) {
          res.on('finish', () => setTimeout(() => after().catch((e) => log(`webhook: ${(e as Error).message}`)), 30));
        }
      }, (e) => {
        log(`webhook: ${(e as Error).message}`);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({
          apiVersion: 'admission.k8s.io/v1',
          kind: 'AdmissionReview',
          response: { uid: review.request.uid, allowed: false, status: { code: 500, message: `cozystack-api stand-in: ${(e as Error).message}` } },
        }));
      });
    });
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(cfg.port, '127.0.0.1', () => resolve(server));
  });
}

interface Verdict {
  readonly response: Record<string, unknown>;
  readonly after?: () => Promise<void>;
}

async function review2response(r: any, kube: KubeClient, log: (s: string) => void): Promise<Verdict> {
  const obj = r.object ?? {};
  const spec = obj.spec;
  if (spec && typeof spec === 'object' && !Array.isArray(spec)) {
    const reserved = Object.keys(spec).find((k) => k.startsWith('_'));
    if (reserved) {
      return { response: { allowed: false, status: { code: 400, reason: 'BadRequest', message: `values key "${reserved}" is reserved (keys starting with '_' are not allowed)` } } };
    }
  }
  if (r.operation === 'DELETE') {
    // nothing to check
  } else if (r.operation === 'CREATE' && r.kind?.kind === 'Tenant') {
    const computed = tenantNamespace(r.namespace, r.name ?? obj.metadata?.name);
    if (computed.length > 63) {
      return {
        response: {
          allowed: false,
          status: {
            code: 422,
            reason: 'Invalid',
            message: `Tenant.apps.cozystack.io "${obj.metadata?.name}" is invalid: metadata.name: Invalid value: "${obj.metadata?.name}": computed tenant namespace "${computed}" would be ${computed.length} characters, which exceeds the 63-character Kubernetes namespace limit; shorten the tenant name or reduce ancestor nesting depth`,
          },
        },
      };
    }
  }
  if (r.dryRun && !r.subResource) {
    // cozystack-api loses dryRun on every write (controller-runtime overwrites Raw.DryRun): do it for real.
    const base = `/apis/${r.resource.group}/${r.resource.version}/namespaces/${r.namespace}/${r.resource.resource}`;
    const { managedFields: _mf, ...meta } = obj.metadata ?? {};
    const done = () => log(`dry-run ${r.operation} of ${r.kind.kind} ${r.namespace}/${r.name} done for real (as cozystack-api does)`);
    if (r.operation === 'UPDATE') {
      await kube.put(`${base}/${r.name}`, { ...obj, metadata: { ...meta, resourceVersion: r.oldObject?.metadata?.resourceVersion } });
      done();
    } else if (r.operation === 'CREATE') {
      const { resourceVersion: _rv, uid: _uid, creationTimestamp: _ct, generation: _g, ...createMeta } = meta;
      return { response: { allowed: true }, after: () => kube.post(base, { ...obj, metadata: createMeta, status: undefined }).then(done) };
    } else if (r.operation === 'DELETE') {
      return { response: { allowed: true }, after: () => kube.delete(`${base}/${r.name}`).then(done) };
    }
  }
  return { response: { allowed: true } };
}
