/**
 * A real management-cluster API for the tests, on loopback:
 * - REAL: etcd (go.etcd.io/etcd/server/v3) and kube-apiserver (k8s.io/kubernetes),
 *   built from the project's own Go module in test/cluster/ at pinned versions
 *   into `.cache/cluster-bin/`; a second kube-apiserver on the same etcd (its own
 *   `--etcd-prefix`) plays the tenant cluster behind a Kubernetes app's kubeconfig.
 * - REAL: the Flux HelmRelease, ExternalArtifact and ApplicationDefinition CRDs,
 *   the ApplicationDefinitions of the v1.6.2 catalogue, Cozystack's tenant roles
 *   and admission policies, all from `../shared/cozystack/`, enforced by the real
 *   kube-apiserver.
 * - STAND-IN: `apps.cozystack.io` is served by CRDs generated from the
 *   ApplicationDefinitions (cozystack-standin.ts), because cozystack-api cannot
 *   be built here (test/cluster/README.md says why).
 * - TEST RECONCILER: test-reconciler.ts plays Flux/Helm (namespaces, Ready
 *   conditions, kubeconfig Secrets, switchable failures).
 *
 * One cluster lives in `.cache/test-cluster/` and is shared: by every test file
 * of a jest run (each registers its process in `users/`; the reconciler stops the
 * whole cluster 20 s after the last user process is gone) and by
 * `scripts/test-cluster.sh up` (which keeps it until `down`).
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { APPS_GROUP, readStandinKinds, standinCrds } from './cozystack-standin';
import { standinWebhookConfiguration } from './cozystack-standin-webhook';
import { KubeClient, KubeError, KubeTarget } from './kube-client';
import { ensureKubectl } from './kubectl';
import { CONTROL_CONFIGMAP, CONTROL_NAMESPACE, ReconcilerConfig, ReconcilerControls, controlsToData } from './test-reconciler';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const GO_MODULE_DIR = path.join(REPO_ROOT, 'test', 'cluster');
export const BIN_DIR = path.join(REPO_ROOT, '.cache', 'cluster-bin');
/**
 * The cluster's state, logs and pids; one folder per AppsApi, so that both can run side by side.
 * `CDK8S_COZYSTACK_CLUSTER_DIR` names another folder: a cluster of its own (the apply benchmark
 * uses one, so that it can restart it without stopping the tests' shared cluster).
 */
export const STATE_DIR = process.env.CDK8S_COZYSTACK_CLUSTER_DIR ? path.resolve(process.env.CDK8S_COZYSTACK_CLUSTER_DIR)
  : path.join(REPO_ROOT, '.cache', wantedAppsApi() === 'cozystack-api' ? 'test-cluster-cozystack-api' : 'test-cluster');
const LOCK_DIR = `${STATE_DIR}.lock`;

/** The platform's publishing host: the root tenant's host. */
export const ROOT_HOST = 'example.org';
/** The non-admin identity of the tenant kubeconfig: a tenant-root super-admin (not system:masters). */
export const TENANT_USER = 'tenant-root-ci';
export const TENANT_GROUP = 'tenant-root-super-admin';
/** The identity the test reconciler (and the stand-in webhook's own writes) use. */
export const RECONCILER_USER = 'test-reconciler';

/**
 * Which server answers `apps.cozystack.io`: the stand-in (CRDs + webhook, the
 * default, what CI runs), or the real cozystack-api when `COZYSTACK_API_BIN` names
 * a cozystack-api binary (built by hand from Cozystack's source, which the Go
 * module proxy does not serve; see test/cluster/README.md). The real one runs in
 * a network namespace of its own (root needed) behind the aggregation layer.
 */
export type AppsApi = 'standin' | 'cozystack-api';
export function wantedAppsApi(): AppsApi {
  return process.env.COZYSTACK_API_BIN ? 'cozystack-api' : 'standin';
}

/** The network namespace and /30 the real cozystack-api uses (made and removed by the test cluster). */
const NETNS = 'cdk8scz';
const VETH_HOST = 'cdk8scz-h';
const VETH_NS = 'cdk8scz-n';
const HOST_IP = '10.250.77.1';
const NS_IP = '10.250.77.2';
const COZYSTACK_API_PORT = 8443;

/** `../shared` beside the repo: locally and in CI (a read-only copy). Throws if missing. */
export function sharedDir(): string {
  const dir = path.resolve(REPO_ROOT, '../shared');
  const probe = path.join(dir, 'cozystack', 'catalogue-v1.6.2');
  if (!fs.existsSync(probe)) {
    throw new Error(`The real test cluster needs the shared domain data at ${dir} (missing ${probe}); `
      + 'CI lays a copy of shared/ beside the clone.');
  }
  return dir;
}

export interface ClusterBinaries {
  readonly etcd: string;
  readonly kubeApiserver: string;
  /** Seconds spent building, 0 if the cached binaries were current. */
  readonly buildSeconds: number;
}

/**
 * Builds etcd and kube-apiserver from test/cluster/ unless the binaries in
 * `.cache/cluster-bin/` were built from the current go.mod/go.sum/sources.
 * First build on a machine takes minutes (modules + compile), later ones
 * come from Go's module and build caches. Throws with go's output on failure.
 */
export function ensureClusterBinaries(log: (s: string) => void = () => {}): ClusterBinaries {
  const etcd = path.join(BIN_DIR, 'etcd');
  const kubeApiserver = path.join(BIN_DIR, 'kube-apiserver');
  const stampFile = path.join(BIN_DIR, 'stamp');
  const stamp = sourceStamp();
  if (fs.existsSync(etcd) && fs.existsSync(kubeApiserver) && readOr(stampFile, '') === stamp) {
    return { etcd, kubeApiserver, buildSeconds: 0 };
  }
  const goVersion = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (goVersion.status !== 0) {
    throw new Error(`The real test cluster builds etcd and kube-apiserver with Go, but \`go version\` failed: ${goVersion.error?.message ?? goVersion.stderr}`);
  }
  fs.mkdirSync(BIN_DIR, { recursive: true });
  const t0 = Date.now();
  // What Kubernetes' own build stamps in with -ldflags (hack/lib/version.sh), so that
  // `kubectl version` and discovery report v1.34.x rather than v0.0.0-master.
  const k8s = kubernetesVersion();
  const [major, minor] = k8s.replace(/^v/, '').split('.');
  const versionFlags = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'].flatMap((pkgPath) => [
    `-X ${pkgPath}.gitVersion=${k8s}`, `-X ${pkgPath}.gitMajor=${major}`, `-X ${pkgPath}.gitMinor=${minor}`,
    `-X ${pkgPath}.gitTreeState=clean`, `-X ${pkgPath}.buildDate=1970-01-01T00:00:00Z`,
  ]).join(' ');
  const builds: Array<[string, string, string]> = [[etcd, './cmd/etcd', ''], [kubeApiserver, 'k8s.io/kubernetes/cmd/kube-apiserver', versionFlags]];
  for (const [out, pkg, ldflags] of builds) {
    log(`building ${path.basename(out)} (${pkg}) in ${GO_MODULE_DIR}`);
    const tmp = `${out}.tmp-${process.pid}`;
    const r = spawnSync('go', ['build', '-mod=readonly', '-buildvcs=false', '-trimpath', `-ldflags=${ldflags}`, '-o', tmp, pkg], {
      cwd: GO_MODULE_DIR,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=readonly' },
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) {
      fs.rmSync(tmp, { force: true });
      throw new Error(`go build ${pkg} failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ''}):\n${r.stdout}${r.stderr}`);
    }
    fs.renameSync(tmp, out);
  }
  fs.writeFileSync(stampFile, stamp);
  return { etcd, kubeApiserver, buildSeconds: (Date.now() - t0) / 1000 };
}

/** The k8s.io/kubernetes version test/cluster/go.mod pins. */
export function kubernetesVersion(): string {
  const m = /^\s*k8s\.io\/kubernetes (v\S+)/m.exec(fs.readFileSync(path.join(GO_MODULE_DIR, 'go.mod'), 'utf8'));
  if (!m) throw new Error(`${GO_MODULE_DIR}/go.mod does not require k8s.io/kubernetes`);
  return m[1];
}

function sourceStamp(): string {
  const h = crypto.createHash('sha256');
  h.update('ldflags-v1');
  for (const f of ['go.mod', 'go.sum', 'cmd/etcd/main.go']) h.update(fs.readFileSync(path.join(GO_MODULE_DIR, f)));
  const go = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
  h.update(go.stdout ?? '');
  return h.digest('hex');
}

/** What the running cluster wrote to `state.json`. */
export interface ClusterState {
  readonly appsApi: AppsApi;
  readonly pids: Record<string, number>;
  readonly server: string;
  readonly tenantClusterServer: string;
  readonly adminToken: string;
  readonly kubeconfig: string;
  readonly tenantKubeconfig: string;
  readonly tenantClusterKubeconfig: string;
  readonly startSeconds: number;
  readonly buildSeconds: number;
}

export interface RealCluster {
  /** Admin kubeconfig (group system:masters) of the management cluster. */
  readonly kubeconfig: string;
  /** A non-admin kubeconfig: user `tenant-root-ci` in group `tenant-root-super-admin` (Cozystack's tenant role). */
  readonly tenantKubeconfig: string;
  /** Admin kubeconfig of the second kube-apiserver, the one every Kubernetes app's kubeconfig Secret points at. */
  readonly tenantClusterKubeconfig: string;
  /** kubectl 1.33 (real binary). */
  readonly kubectl: string;
  /** The API as a small REST client (admin). */
  readonly client: KubeClient;
  readonly state: ClusterState;
  /** True if this call started the cluster, false if it reused a running one. */
  readonly started: boolean;
  /** Runs kubectl against the management cluster (admin unless `kubeconfig` is given). */
  run(args: string[], opts?: { kubeconfig?: string; input?: string }): { status: number; stdout: string; stderr: string };
  /**
   * A mark in the management API's audit log; `auditEvents(mark)` returns what came after it.
   * The log has every request except the test reconciler's and the API server's own.
   */
  auditMark(): number;
  /**
   * `Kind/namespace/name` → resourceVersion of every apps.cozystack.io object: take one
   * before and one after an operation that must write nothing (e.g. a dry run).
   */
  appResourceVersions(): Promise<Record<string, string>>;
  /** The audit events after `mark` (all of them without one), oldest first. */
  auditEvents(mark?: number): AuditEvent[];
  /** Switches the reconciler's failures; `{}` resets them (this process's only). Takes effect within a moment. */
  setReconcilerControls(c: ReconcilerControls): Promise<void>;
  /** Releases this process's use of the cluster (a shared cluster stops when its last user is gone). */
  stop(): Promise<void>;
}

/** One request as the management API's audit log (level Metadata) records it. */
export interface AuditEvent {
  readonly verb: string;
  readonly requestURI: string;
  readonly user: { readonly username: string; readonly groups?: string[] };
  readonly objectRef?: {
    readonly resource?: string;
    readonly namespace?: string;
    readonly name?: string;
    readonly apiGroup?: string;
    readonly subresource?: string;
  };
  readonly responseStatus?: { readonly code?: number };
  readonly userAgent?: string;
}

/** Verbs that write. */
export const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/** True if the request asked for a dry run (`dryRun=All`). */
export function isDryRun(e: AuditEvent): boolean {
  return /[?&]dryRun=All(&|$)/.test(e.requestURI);
}

export interface StartOptions {
  /** Keep the cluster until `stopRealCluster()` (what `scripts/test-cluster.sh up` does). */
  readonly persistent?: boolean;
  readonly log?: (s: string) => void;
}

/**
 * Starts the real cluster, or joins the one running in `.cache/test-cluster/`.
 * Builds the binaries first if needed. Throws with the reason if anything
 * cannot be built or started: tests that use it fail, they never skip.
 */
export async function startRealCluster(opts: StartOptions = {}): Promise<RealCluster> {
  const log = opts.log ?? (() => {});
  const kubectl = ensureKubectl();
  sharedDir();
  await acquireLock();
  let state: ClusterState | undefined;
  let started = false;
  try {
    state = await runningState();
    if (!state) {
      await stopRealCluster();
      state = await boot(log);
      started = true;
    }
    fs.mkdirSync(path.join(STATE_DIR, 'users'), { recursive: true });
    fs.writeFileSync(path.join(STATE_DIR, 'users', String(process.pid)), '');
    if (opts.persistent) fs.writeFileSync(path.join(STATE_DIR, 'persistent'), '');
  } finally {
    releaseLock();
  }
  const st = state;
  const client = new KubeClient({ server: st.server, token: st.adminToken });
  return {
    kubeconfig: st.kubeconfig,
    tenantKubeconfig: st.tenantKubeconfig,
    tenantClusterKubeconfig: st.tenantClusterKubeconfig,
    kubectl,
    client,
    state: st,
    started,
    run(args, o = {}) {
      const r = spawnSync(kubectl, args, {
        encoding: 'utf8',
        input: o.input,
        maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, KUBECONFIG: o.kubeconfig ?? st.kubeconfig },
      });
      return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
    },
    async appResourceVersions() {
      const kinds = readStandinKinds(path.join(sharedDir(), 'cozystack', 'catalogue-v1.6.2'));
      const lists = await Promise.all(kinds.map((k) => client.get(`/apis/${APPS_GROUP}/v1alpha1/${k.plural}`).then((l) => [k.kind, l.items ?? []] as const)));
      const out: Record<string, string> = {};
      for (const [kind, items] of lists) {
        for (const o of items) out[`${kind}/${o.metadata.namespace}/${o.metadata.name}`] = o.metadata.resourceVersion;
      }
      return out;
    },
    auditMark() {
      try {
        return fs.statSync(path.join(STATE_DIR, 'audit.log')).size;
      } catch {
        return 0;
      }
    },
    auditEvents(mark = 0) {
      const fd = fs.openSync(path.join(STATE_DIR, 'audit.log'), 'r');
      try {
        const size = fs.fstatSync(fd).size;
        const buf = Buffer.alloc(Math.max(0, size - mark));
        fs.readSync(fd, buf, 0, buf.length, mark);
        return buf.toString('utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as AuditEvent);
      } finally {
        fs.closeSync(fd);
      }
    },
    async setReconcilerControls(c) {
      // Each test process applies its own keys with its own field manager: `{}` clears only this process's controls.
      await client.request('PATCH', `/api/v1/namespaces/${CONTROL_NAMESPACE}/configmaps/${CONTROL_CONFIGMAP}?fieldManager=tests-${process.pid}&force=true`,
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: CONTROL_CONFIGMAP, namespace: CONTROL_NAMESPACE }, data: controlsToData(c, String(process.pid)) },
        'application/apply-patch+yaml');
    },
    async stop() {
      client.close();
      fs.rmSync(path.join(STATE_DIR, 'users', String(process.pid)), { force: true });
    },
  };
}

/** Stops every process of the cluster in `.cache/test-cluster/` and removes its files. */
export async function stopRealCluster(): Promise<void> {
  const state = readState();
  const pids = state ? Object.values(state.pids) : [];
  for (const f of ['etcd.pid', 'kube-apiserver.pid', 'tenant-apiserver.pid', 'reconciler.pid']) {
    const p = Number(readOr(path.join(STATE_DIR, f), ''));
    if (p && !pids.includes(p)) pids.push(p);
  }
  for (const pid of pids) killTree(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (pids.some(alive) && Date.now() < deadline) await sleep(100);
  for (const pid of pids) if (alive(pid)) killTree(pid, 'SIGKILL');
  if (fs.existsSync(path.join(STATE_DIR, 'netns'))) teardownNetns();
  fs.rmSync(STATE_DIR, { recursive: true, force: true });
}

function readState(): ClusterState | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(STATE_DIR, 'state.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** The state of a running, healthy cluster, or undefined. */
async function runningState(): Promise<ClusterState | undefined> {
  const state = readState();
  if (!state) return undefined;
  if (!Object.values(state.pids).every(alive)) return undefined;
  if ((state.appsApi ?? 'standin') !== wantedAppsApi()) return undefined;
  const client = new KubeClient({ server: state.server, token: state.adminToken });
  try {
    await client.get('/readyz');
    return state;
  } catch {
    return undefined;
  } finally {
    client.close();
  }
}

async function acquireLock(): Promise<void> {
  fs.mkdirSync(path.dirname(LOCK_DIR), { recursive: true });
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      fs.writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(readOr(path.join(LOCK_DIR, 'pid'), '0'));
      if (holder && !alive(holder)) {
        fs.rmSync(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${LOCK_DIR} (held by pid ${holder})`);
      await sleep(200);
    }
  }
}

function releaseLock(): void {
  if (readOr(path.join(LOCK_DIR, 'pid'), '') === String(process.pid)) fs.rmSync(LOCK_DIR, { recursive: true, force: true });
}

async function boot(log: (s: string) => void): Promise<ClusterState> {
  const bins = ensureClusterBinaries(log);
  const appsApi = wantedAppsApi();
  const cozystackApiBin = process.env.COZYSTACK_API_BIN ?? '';
  if (appsApi === 'cozystack-api' && !fs.existsSync(cozystackApiBin)) throw new Error(`COZYSTACK_API_BIN=${cozystackApiBin}: no such file`);
  const t0 = Date.now();
  const shared = sharedDir();
  const cozy = path.join(shared, 'cozystack');
  fs.mkdirSync(path.join(STATE_DIR, 'logs'), { recursive: true });
  const [etcdPort, peerPort, apiPort, tenantApiPort, webhookPort] = await freePorts(5);

  // Identities: static tokens (admin in system:masters, a tenant-root super-admin), service-account keys.
  const adminToken = crypto.randomBytes(24).toString('hex');
  const tenantToken = crypto.randomBytes(24).toString('hex');
  const reconcilerToken = crypto.randomBytes(24).toString('hex');
  const cozystackApiToken = crypto.randomBytes(24).toString('hex');
  const tokens = path.join(STATE_DIR, 'tokens.csv');
  fs.writeFileSync(tokens, [
    `${adminToken},admin,admin-uid,"system:masters"`,
    `${tenantToken},${TENANT_USER},${TENANT_USER}-uid,"${TENANT_GROUP}"`,
    // The test reconciler plays Flux (a cluster-admin service account on a real platform).
    `${reconcilerToken},${RECONCILER_USER},${RECONCILER_USER}-uid,"system:masters"`,
    // Only used when the real cozystack-api runs (it has cluster-admin rights on a real platform).
    `${cozystackApiToken},system:serviceaccount:cozy-system:cozystack-api,cozystack-api-uid,"system:masters"`,
    '',
  ].join('\n'), { mode: 0o600 });
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  fs.writeFileSync(path.join(STATE_DIR, 'sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  fs.writeFileSync(path.join(STATE_DIR, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));

  const webhookCert = path.join(STATE_DIR, 'webhook.crt');
  const webhookKey = path.join(STATE_DIR, 'webhook.key');
  selfSignedCert(webhookCert, webhookKey);

  // The real cozystack-api: a network namespace (kube-apiserver's aggregator refuses loopback
  // endpoints), front-proxy certificates for the aggregation layer.
  const real = appsApi === 'cozystack-api';
  if (real) {
    setupNetns();
    fs.writeFileSync(path.join(STATE_DIR, 'netns'), NETNS);
    frontProxyCerts();
  }
  const apiHost = real ? HOST_IP : '127.0.0.1';
  const aggregatorArgs = real ? [
    `--requestheader-client-ca-file=${path.join(STATE_DIR, 'front-proxy-ca.crt')}`, '--requestheader-allowed-names=front-proxy-client',
    '--requestheader-username-headers=X-Remote-User', '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    `--proxy-client-cert-file=${path.join(STATE_DIR, 'front-proxy-client.crt')}`,
    `--proxy-client-key-file=${path.join(STATE_DIR, 'front-proxy-client.key')}`,
    '--enable-aggregator-routing=true', `--bind-address=${HOST_IP}`, `--advertise-address=${HOST_IP}`,
  ] : [];

  const pids: Record<string, number> = {};
  pids.etcd = launch('etcd', bins.etcd, [
    '--name=test', `--data-dir=${path.join(STATE_DIR, 'etcd-data')}`,
    `--listen-client-urls=http://127.0.0.1:${etcdPort}`, `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
    `--listen-peer-urls=http://127.0.0.1:${peerPort}`, `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
    `--initial-cluster=test=http://127.0.0.1:${peerPort}`, '--unsafe-no-fsync', '--log-level=warn',
    '--quota-backend-bytes=4294967296',
  ]);
  await waitFor('etcd', pids.etcd, async () => {
    const r = await fetch(`http://127.0.0.1:${etcdPort}/health`);
    return r.ok;
  }, 60_000);

  // Every request of the management API except the reconciler's and the server's own, for tests
  // and the benchmark to count (auditEvents()); written before the response is sent (blocking mode).
  const auditPolicy = path.join(STATE_DIR, 'audit-policy.yaml');
  fs.writeFileSync(auditPolicy, [
    'apiVersion: audit.k8s.io/v1',
    'kind: Policy',
    'omitStages: [RequestReceived]',
    'rules:',
    '- level: None',
    `  users: [${RECONCILER_USER}, "system:apiserver"]`,
    '- level: None',
    '  userGroups: ["system:nodes", "system:serviceaccounts"]',
    '- level: None',
    '  nonResourceURLs: ["/healthz*", "/readyz*", "/livez*", "/version", "/openapi*", "/api", "/apis", "/api/*", "/apis/*"]',
    '- level: Metadata',
    '',
  ].join('\n'));
  const auditArgs = [`--audit-policy-file=${auditPolicy}`, `--audit-log-path=${path.join(STATE_DIR, 'audit.log')}`,
    '--audit-log-mode=blocking', '--audit-log-format=json', '--audit-log-maxsize=0'];
  const apiserverArgs = (port: number, prefix: string, certDir: string) => [
    `--etcd-servers=http://127.0.0.1:${etcdPort}`, `--etcd-prefix=${prefix}`,
    `--secure-port=${port}`, '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1',
    `--cert-dir=${certDir}`, `--token-auth-file=${tokens}`, '--authorization-mode=RBAC',
    `--service-account-key-file=${path.join(STATE_DIR, 'sa.pub')}`,
    `--service-account-signing-key-file=${path.join(STATE_DIR, 'sa.key')}`,
    '--service-account-issuer=https://kubernetes.default.svc', '--service-cluster-ip-range=10.0.0.0/24',
    '--endpoint-reconciler-type=none', '--enable-priority-and-fairness=false', '--profiling=false',
    '--disable-admission-plugins=ServiceAccount', '--v=0',
  ];
  pids.apiserver = launch('kube-apiserver', bins.kubeApiserver,
    [...apiserverArgs(apiPort, '/registry', path.join(STATE_DIR, 'pki-management')), ...auditArgs, ...aggregatorArgs]);
  pids.tenantApiserver = launch('tenant-apiserver', bins.kubeApiserver, apiserverArgs(tenantApiPort, '/tenant-cluster', path.join(STATE_DIR, 'pki-tenant')));

  const server = `https://${apiHost}:${apiPort}`;
  const tenantClusterServer = `https://127.0.0.1:${tenantApiPort}`;
  const admin = new KubeClient({ server, token: adminToken });
  const tenantAdmin = new KubeClient({ server: tenantClusterServer, token: adminToken });
  try {
    await Promise.all([
      waitFor('kube-apiserver', pids.apiserver, () => admin.get('/readyz').then(() => true), 180_000),
      waitFor('tenant kube-apiserver', pids.tenantApiserver, () => tenantAdmin.get('/readyz').then(() => true), 180_000),
    ]);

    const kubeconfig = writeKubeconfig('admin.kubeconfig', 'management', server, 'admin', adminToken);
    const tenantKubeconfig = writeKubeconfig('tenant.kubeconfig', 'management', server, TENANT_USER, tenantToken);
    const tenantClusterKubeconfig = writeKubeconfig('tenant-cluster.kubeconfig', 'tenant-cluster', tenantClusterServer, 'admin', adminToken);

    await installPlatform(admin, cozy, appsApi);
    if (real) {
      const cozyKubeconfig = writeKubeconfig('cozystack-api.kubeconfig', 'management', server, 'cozystack-api', cozystackApiToken);
      pids.cozystackApi = launch('cozystack-api', 'ip', ['netns', 'exec', NETNS, cozystackApiBin,
        `--kubeconfig=${cozyKubeconfig}`, `--authentication-kubeconfig=${cozyKubeconfig}`, `--authorization-kubeconfig=${cozyKubeconfig}`,
        `--secure-port=${COZYSTACK_API_PORT}`, `--bind-address=${NS_IP}`, `--cert-dir=${path.join(STATE_DIR, 'pki-cozystack-api')}`], { KUBECONFIG: cozyKubeconfig });
      await registerCozystackApi(admin);
      await waitFor('cozystack-api serving apps.cozystack.io', pids.cozystackApi, async () => {
        const g = await admin.tryGet(`/apis/${APPS_GROUP}/v1alpha1`);
        return (g?.resources ?? []).some((r: any) => r.name === 'tenants');
      }, 120_000);
    }

    const reconcilerConfig: ReconcilerConfig = {
      management: { server, token: reconcilerToken } as KubeTarget,
      tenantClusterKubeconfig: fs.readFileSync(tenantClusterKubeconfig, 'utf8'),
      catalogueDir: path.join(cozy, 'catalogue-v1.6.2'),
      rootHost: ROOT_HOST,
      ...(real ? { target: 'helmreleases' as const } : { webhook: { port: webhookPort, certFile: webhookCert, keyFile: webhookKey } }),
    };
    fs.writeFileSync(path.join(STATE_DIR, 'cluster.json'), JSON.stringify({ reconciler: reconcilerConfig }, null, 2), { mode: 0o600 });
    pids.reconciler = launch('reconciler', process.execPath, [
      require.resolve('ts-node/dist/bin.js'), '--transpile-only', '--project', path.join(REPO_ROOT, 'tsconfig.json'),
      path.join(__dirname, 'test-reconciler.ts'), STATE_DIR,
    ], { TS_NODE_SKIP_IGNORE: 'false' });
    await waitFor('test reconciler', pids.reconciler, async () => fs.existsSync(path.join(STATE_DIR, 'reconciler.ready')), 60_000);
    if (!real) await apply(admin, standinWebhookConfiguration(webhookPort, fs.readFileSync(webhookCert, 'utf8'), RECONCILER_USER));
    await waitFor('root Tenant Ready', pids.reconciler, async () => {
      const root = await admin.get(`/apis/${APPS_GROUP}/v1alpha1/namespaces/tenant-root/tenants/root`);
      return (root.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
    }, 30_000);

    const state: ClusterState = {
      appsApi,
      pids,
      server,
      tenantClusterServer,
      adminToken,
      kubeconfig,
      tenantKubeconfig,
      tenantClusterKubeconfig,
      startSeconds: (Date.now() - t0) / 1000,
      buildSeconds: bins.buildSeconds,
    };
    fs.writeFileSync(path.join(STATE_DIR, 'state.json'), JSON.stringify(state, null, 2), { mode: 0o600 });
    return state;
  } catch (e) {
    for (const pid of Object.values(pids)) killTree(pid, 'SIGKILL');
    if (real) teardownNetns();
    throw new Error(`${(e as Error).message}\n(logs in ${path.join(STATE_DIR, 'logs')})`);
  } finally {
    admin.close();
    tenantAdmin.close();
  }
}

/** CRDs, definitions, Cozystack's roles and policies, the root tenant, the reconciler's controls. */
async function installPlatform(api: KubeClient, cozy: string, appsApi: AppsApi): Promise<void> {
  const real = appsApi === 'cozystack-api';
  const read = (f: string) => parseYamlDocs(fs.readFileSync(path.join(cozy, f), 'utf8'));
  const catalogue = path.join(cozy, 'catalogue-v1.6.2');
  const crds = [
    ...read('cozystack.io_applicationdefinitions.crd.yaml'),
    ...read('flux-v2.8.0.helmreleases.helm.toolkit.fluxcd.io.crd.yaml'),
    ...read('flux-v2.8.0.externalartifacts.source.toolkit.fluxcd.io.crd.yaml'),
    ...(real ? [workloadMonitorCrd()] : standinCrds(catalogue)),
  ];
  await Promise.all(crds.map((o) => apply(api, o)));
  await waitFor('CRDs established', undefined, async () => {
    const list = await api.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
    const established = new Set((list.items ?? []).filter((c: any) =>
      (c.status?.conditions ?? []).some((x: any) => x.type === 'Established' && x.status === 'True')).map((c: any) => c.metadata.name));
    return crds.every((c: any) => established.has(c.metadata.name));
  }, 60_000);
  // The new groups must be in discovery before objects of them are created.
  if (!real) {
    await waitFor('apps.cozystack.io served', undefined, async () => {
      const g = await api.tryGet(`/apis/${APPS_GROUP}/v1alpha1`);
      return (g?.resources ?? []).some((r: any) => r.name === 'tenants');
    }, 60_000);
  }

  const defs = fs.readdirSync(catalogue).filter((f) => f.endsWith('.applicationdefinition.yaml')).sort()
    .flatMap((f) => parseYamlDocs(fs.readFileSync(path.join(catalogue, f), 'utf8')));
  const policies = read('management-v1.6.2.rbac-and-admission.yaml');
  const base = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cozy-system', labels: { 'platform.cozystack.io/no-delete': 'true' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: CONTROL_NAMESPACE } },
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'tenant-root',
        labels: {
          'platform.cozystack.io/no-delete': 'true',
          'tenant.cozystack.io/tenant-root': '',
          'namespace.cozystack.io/host': ROOT_HOST,
          // On a real platform these come from tenant-root's cozystack-values Secret: the root is named as every provider.
          'namespace.cozystack.io/etcd': 'tenant-root',
          'namespace.cozystack.io/ingress': 'tenant-root',
          'namespace.cozystack.io/monitoring': 'tenant-root',
          'namespace.cozystack.io/seaweedfs': 'tenant-root',
        },
      },
    },
  ];
  await Promise.all([...defs, ...policies, ...base].map((o) => apply(api, o)));
  const rootRbac = ['view', 'use', 'admin', 'super-admin'].map((level, i, all) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: `cozy:tenant:${level}`, namespace: 'tenant-root' },
    subjects: all.slice(i).map((l) => ({ kind: 'Group', name: `tenant-root-${l}`, apiGroup: 'rbac.authorization.k8s.io' })),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `cozy:tenant:${level}` },
  }));
  await aggregateClusterRoles(api);
  await Promise.all([
    ...rootRbac.map((o) => apply(api, o)),
    apply(api, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: CONTROL_CONFIGMAP, namespace: CONTROL_NAMESPACE }, data: controlsToData({}) }),
    real ? apply(api, tenantRootRelease()) : apply(api, {
      apiVersion: `${APPS_GROUP}/v1alpha1`,
      kind: 'Tenant',
      // The platform's own root tenant, protected like tenant-root's static HelmRelease, which
      // carries no values (its host comes from the platform): spec is empty, read back with defaults.
      metadata: { name: 'root', namespace: 'tenant-root', labels: { 'platform.cozystack.io/no-delete': 'true' } },
      spec: {},
    }),
  ]);
}

/**
 * What kube-controller-manager's clusterrole-aggregation controller does (there
 * is no controller manager here): each ClusterRole with an aggregationRule gets
 * the rules of the ClusterRoles its selectors match. Cozystack's `cozy:tenant:*`
 * roles are all aggregated.
 */
async function aggregateClusterRoles(api: KubeClient): Promise<void> {
  const roles: any[] = (await api.get('/apis/rbac.authorization.k8s.io/v1/clusterroles')).items;
  const selects = (sel: any, role: any) => Object.entries(sel.matchLabels ?? {}).every(([k, v]) => role.metadata.labels?.[k] === v);
  await Promise.all(roles.filter((r) => r.aggregationRule && r.metadata.name.startsWith('cozy:')).map((agg) => {
    const rules = roles.filter((r) => r !== agg && (agg.aggregationRule.clusterRoleSelectors ?? []).some((sel: any) => selects(sel, r)))
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
      .flatMap((r) => r.rules ?? []);
    return api.mergePatch(`/apis/rbac.authorization.k8s.io/v1/clusterroles/${agg.metadata.name}`, { rules });
  }));
}

/** REST collection paths of the kinds installPlatform applies. */
const RESOURCES: Record<string, [string, string, boolean]> = {
  CustomResourceDefinition: ['/apis/apiextensions.k8s.io/v1', 'customresourcedefinitions', false],
  ApplicationDefinition: ['/apis/cozystack.io/v1alpha1', 'applicationdefinitions', false],
  ClusterRole: ['/apis/rbac.authorization.k8s.io/v1', 'clusterroles', false],
  RoleBinding: ['/apis/rbac.authorization.k8s.io/v1', 'rolebindings', true],
  ValidatingAdmissionPolicy: ['/apis/admissionregistration.k8s.io/v1', 'validatingadmissionpolicies', false],
  ValidatingAdmissionPolicyBinding: ['/apis/admissionregistration.k8s.io/v1', 'validatingadmissionpolicybindings', false],
  Namespace: ['/api/v1', 'namespaces', false],
  ConfigMap: ['/api/v1', 'configmaps', true],
  Tenant: [`/apis/${APPS_GROUP}/v1alpha1`, 'tenants', true],
  ValidatingWebhookConfiguration: ['/apis/admissionregistration.k8s.io/v1', 'validatingwebhookconfigurations', false],
  HelmRelease: ['/apis/helm.toolkit.fluxcd.io/v2', 'helmreleases', true],
  Service: ['/api/v1', 'services', true],
  Endpoints: ['/api/v1', 'endpoints', true],
  EndpointSlice: ['/apis/discovery.k8s.io/v1', 'endpointslices', true],
  APIService: ['/apis/apiregistration.k8s.io/v1', 'apiservices', false],
};

/** Server-side apply of one object. */
async function apply(api: KubeClient, obj: any): Promise<void> {
  const r = RESOURCES[obj.kind];
  if (!r) throw new Error(`installPlatform: no REST path known for kind ${obj.kind}`);
  const [prefix, plural, namespaced] = r;
  const p = `${prefix}${namespaced ? `/namespaces/${obj.metadata.namespace}` : ''}/${plural}/${obj.metadata.name}?fieldManager=test-cluster&force=true`;
  try {
    await api.request('PATCH', p, obj, 'application/apply-patch+yaml');
  } catch (e) {
    throw new Error(`applying ${obj.kind} ${obj.metadata.name}: ${(e as Error).message}`);
  }
}

function parseYamlDocs(text: string): any[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseAllDocuments } = require('yaml') as typeof import('yaml');
  return parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o && typeof o === 'object' && o.kind);
}

/** The network namespace with a veth pair and a /30 of its own, for the real cozystack-api. */
function setupNetns(): void {
  teardownNetns();
  const steps: string[][] = [
    ['netns', 'add', NETNS],
    ['link', 'add', VETH_HOST, 'type', 'veth', 'peer', 'name', VETH_NS],
    ['link', 'set', VETH_NS, 'netns', NETNS],
    ['addr', 'add', `${HOST_IP}/30`, 'dev', VETH_HOST],
    ['link', 'set', VETH_HOST, 'up'],
    ['netns', 'exec', NETNS, 'ip', 'addr', 'add', `${NS_IP}/30`, 'dev', VETH_NS],
    ['netns', 'exec', NETNS, 'ip', 'link', 'set', VETH_NS, 'up'],
    ['netns', 'exec', NETNS, 'ip', 'link', 'set', 'lo', 'up'],
  ];
  for (const args of steps) {
    const r = spawnSync('ip', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ip ${args.join(' ')} failed (the real cozystack-api needs root): ${r.error?.message ?? ''}${r.stderr}`);
  }
}

function teardownNetns(): void {
  spawnSync('ip', ['link', 'del', VETH_HOST], { encoding: 'utf8' });
  spawnSync('ip', ['netns', 'del', NETNS], { encoding: 'utf8' });
}

/** The aggregation layer's front-proxy CA and client certificate, made with openssl. */
function frontProxyCerts(): void {
  const f = (n: string) => path.join(STATE_DIR, n);
  fs.writeFileSync(f('front-proxy-ext.cnf'), 'extendedKeyUsage=clientAuth\n');
  const steps: string[][] = [
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('front-proxy-ca.key'), '-out', f('front-proxy-ca.crt'), '-days', '30',
      '-subj', '/CN=front-proxy-ca', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,digitalSignature'],
    ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('front-proxy-client.key'), '-out', f('front-proxy-client.csr'), '-subj', '/CN=front-proxy-client'],
    ['x509', '-req', '-in', f('front-proxy-client.csr'), '-CA', f('front-proxy-ca.crt'), '-CAkey', f('front-proxy-ca.key'), '-CAcreateserial',
      '-out', f('front-proxy-client.crt'), '-days', '30', '-extfile', f('front-proxy-ext.cnf')],
  ];
  for (const args of steps) {
    const r = spawnSync('openssl', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.error?.message ?? ''}${r.stderr}`);
  }
}

/** Service, endpoints and APIService that route apps.cozystack.io to cozystack-api in its network namespace. */
async function registerCozystackApi(api: KubeClient): Promise<void> {
  const meta = { name: 'cozystack-api', namespace: 'cozy-system' };
  await apply(api, { apiVersion: 'v1', kind: 'Service', metadata: meta, spec: { ports: [{ name: 'https', port: 443, targetPort: COZYSTACK_API_PORT, protocol: 'TCP' }] } });
  await apply(api, {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: meta,
    subsets: [{ addresses: [{ ip: NS_IP }], ports: [{ name: 'https', port: COZYSTACK_API_PORT, protocol: 'TCP' }] }],
  });
  await apply(api, {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'cozystack-api-1', namespace: 'cozy-system', labels: { 'kubernetes.io/service-name': 'cozystack-api' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [NS_IP], conditions: { ready: true } }],
    ports: [{ name: 'https', port: COZYSTACK_API_PORT, protocol: 'TCP' }],
  });
  await apply(api, {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: `v1alpha1.${APPS_GROUP}` },
    spec: {
      group: APPS_GROUP,
      version: 'v1alpha1',
      groupPriorityMinimum: 1000,
      versionPriority: 15,
      insecureSkipTLSVerify: true,
      service: { name: 'cozystack-api', namespace: 'cozy-system', port: 443 },
    },
  });
}

/**
 * A minimal WorkloadMonitor CRD (cozystack.io/v1alpha1): cozystack-api watches
 * WorkloadMonitors and will not start without the kind. Written here, not copied.
 */
function workloadMonitorCrd(): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'workloadmonitors.cozystack.io' },
    spec: {
      group: 'cozystack.io',
      names: { kind: 'WorkloadMonitor', listKind: 'WorkloadMonitorList', plural: 'workloadmonitors', singular: 'workloadmonitor' },
      scope: 'Namespaced',
      versions: [{
        name: 'v1alpha1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: { openAPIV3Schema: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      }],
    },
  };
}

/** tenant-root's static HelmRelease, as Cozystack's platform chart (cozystack-basics) makes it: no values. */
function tenantRootRelease(): Record<string, unknown> {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: {
      name: 'tenant-root',
      namespace: 'tenant-root',
      annotations: { 'helm.sh/resource-policy': 'keep' },
      labels: {
        'platform.cozystack.io/no-delete': 'true',
        'sharding.fluxcd.io/key': 'tenants',
        'apps.cozystack.io/application.kind': 'Tenant',
        'apps.cozystack.io/application.group': APPS_GROUP,
        'apps.cozystack.io/application.name': 'tenant-root',
      },
    },
    spec: {
      chartRef: { kind: 'ExternalArtifact', name: 'cozystack-tenant-application-default-tenant', namespace: 'cozy-system' },
      interval: '1m0s',
      timeout: '15m0s',
      valuesFrom: [{ kind: 'Secret', name: 'cozystack-values' }],
    },
  };
}

/** A self-signed serving certificate for 127.0.0.1 (the stand-in webhook), made with openssl. */
function selfSignedCert(certFile: string, keyFile: string): void {
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile,
    '-days', '30', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-addext', 'basicConstraints=critical,CA:TRUE'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl could not make the stand-in webhook's certificate: ${r.error?.message ?? ''}${r.stderr}`);
}

function writeKubeconfig(file: string, cluster: string, server: string, user: string, token: string): string {
  const p = path.join(STATE_DIR, file);
  fs.writeFileSync(p, [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${cluster}`,
    '  cluster:',
    `    server: ${server}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    `- name: ${user}`,
    '  user:',
    `    token: ${token}`,
    'contexts:',
    `- name: ${user}@${cluster}`,
    '  context:',
    `    cluster: ${cluster}`,
    `    user: ${user}`,
    `current-context: ${user}@${cluster}`,
    '',
  ].join('\n'), { mode: 0o600 });
  return p;
}

function launch(name: string, cmd: string, args: string[], env: Record<string, string> = {}): number {
  const out = fs.openSync(path.join(STATE_DIR, 'logs', `${name}.log`), 'a');
  const child: ChildProcess = spawn(cmd, args, {
    cwd: REPO_ROOT, detached: true, stdio: ['ignore', out, out], env: { ...process.env, ...env },
  });
  fs.closeSync(out);
  child.unref();
  if (!child.pid) throw new Error(`could not start ${name} (${cmd})`);
  fs.writeFileSync(path.join(STATE_DIR, `${name}.pid`), String(child.pid));
  return child.pid;
}

async function waitFor(what: string, pid: number | undefined, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    if (pid !== undefined && !alive(pid)) throw new Error(`${what}: the process exited (pid ${pid})`);
    try {
      if (await check()) return;
    } catch (e) {
      last = e instanceof KubeError ? e.message : String((e as Error).message ?? e);
    }
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs / 1000} s${last ? ` (last error: ${last})` : ''}`);
    await sleep(150);
  }
}

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<net.Server>((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Signals a process started detached (its own process group) and its children. */
function killTree(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Used by the reaper in the reconciler process and by the CLI. */
export function clusterUsersAlive(): boolean {
  const dir = path.join(STATE_DIR, 'users');
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return false;
  }
  return names.some((n) => alive(Number(n)));
}
