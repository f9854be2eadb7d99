/**
 * Before `apply` (and `plan --live`) touch anything: is there a kubeconfig, does its
 * server answer, and does it serve Cozystack's API (`apps.cozystack.io/v1alpha1`) with
 * every kind the bundle holds? Each failure is one message that says what is wrong and
 * what to do, instead of what kubectl prints at wave 0 (an OpenAPI download error and
 * its advice to turn validation off).
 *
 * It costs one request: the discovery document of `apps.cozystack.io/v1alpha1`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Kubectl } from './kubectl';
import { COZYSTACK_API_VERSION } from '../domain/registry';

/** Cozystack's API, as the registry names it. */
export const APPS_GROUP_VERSION = COZYSTACK_API_VERSION;

export interface PreflightOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
}

/** Where kubectl would look for a kubeconfig, or why there is none. */
function kubeconfigProblem(o: PreflightOptions, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (o.kubeconfig) {
    return fs.existsSync(o.kubeconfig) ? undefined : `the kubeconfig passed with --kubeconfig, ${o.kubeconfig}, does not exist.`;
  }
  if (env.KUBECONFIG) {
    const files = env.KUBECONFIG.split(path.delimiter).filter(f => f !== '');
    return files.some(f => fs.existsSync(f)) ? undefined
      : `KUBECONFIG names ${files.join(', ')}, and ${files.length === 1 ? 'that file does' : 'none of these files do'} not exist.`;
  }
  const home = path.join(env.HOME ?? os.homedir(), '.kube', 'config');
  if (fs.existsSync(home)) return undefined;
  const inCluster = !!env.KUBERNETES_SERVICE_HOST && fs.existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token');
  if (inCluster) return undefined;
  return `no kubeconfig: --kubeconfig was not passed, KUBECONFIG is not set, ${home} does not exist, and this is not a pod with a service account.`;
}

/** The server the kubeconfig (and context) point at, for messages; undefined if kubectl cannot say. */
async function serverOf(k: Kubectl): Promise<string | undefined> {
  const r = await k.run(['config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}']);
  return r.code === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

/**
 * Checks the cluster before wave 0; returns the message to print (and stop) or undefined.
 * `kinds` are the apps.cozystack.io kinds the bundle holds.
 */
export async function preflight(k: Kubectl, o: PreflightOptions, kinds: readonly string[]): Promise<string | undefined> {
  const noConfig = kubeconfigProblem(o);
  const fix = 'Pass --kubeconfig <file> (and --context <name>) for the management cluster, or set KUBECONFIG.';
  if (noConfig) return `Cannot reach the management cluster: ${noConfig} ${fix} Nothing was applied.`;

  const r = await k.run(['get', '--raw', `/apis/${APPS_GROUP_VERSION}`, '--request-timeout=20s']);
  if (r.code === 0) {
    let served: Set<string>;
    try {
      served = new Set((JSON.parse(r.stdout).resources ?? []).filter((x: any) => !x.name.includes('/')).map((x: any) => x.kind));
    } catch {
      return `The management cluster answered /apis/${APPS_GROUP_VERSION} with something that is not an API resource list. Nothing was applied.`;
    }
    const missing = [...new Set(kinds)].filter(kind => !served.has(kind)).sort();
    if (missing.length === 0) return undefined;
    const server = await serverOf(k);
    return `The management cluster${server ? ` at ${server}` : ''} serves ${APPS_GROUP_VERSION}, but not the kind${missing.length === 1 ? '' : 's'} `
      + `${missing.join(', ')} the bundle holds: the platform has no ApplicationDefinition for ${missing.length === 1 ? 'it' : 'them'} `
      + '(kubectl get applicationdefinitions.cozystack.io). Upgrade the platform, or synthesize for its Cozystack version. Nothing was applied.';
  }

  // kubectl's own advice ("did you specify the right host or port?") is replaced by ours.
  const err = r.stderr.trim().replace(/ - did you specify the right host or port\?$/, '');
  if (/context ".*" does not exist|error loading config|no such file or directory|invalid configuration|cannot unmarshal/.test(err)) {
    return `Cannot use the kubeconfig: ${err.replace(/^error: /, '')}. ${fix} Nothing was applied.`;
  }
  const server = await serverOf(k);
  const at = server ? ` at ${server}` : '';
  if (/\(NotFound\)|could not find the requested resource/.test(err)) {
    return `The server${at} does not serve ${APPS_GROUP_VERSION}, Cozystack's API: this kubeconfig does not point at a Cozystack management `
      + 'cluster, or cozystack-api is not registered there (kubectl get apiservice v1alpha1.apps.cozystack.io). Nothing was applied.';
  }
  if (/\(ServiceUnavailable\)|service unavailable|the server is currently unable to handle the request/i.test(err)) {
    return `The server${at} knows ${APPS_GROUP_VERSION} but cannot reach the API server behind it (cozystack-api): `
      + `${err.replace(/^Error from server /, '')}. Check kubectl get apiservice v1alpha1.apps.cozystack.io and the cozystack-api pods, then run apply again. Nothing was applied.`;
  }
  if (/\(Unauthorized\)|\(Forbidden\)|Please enter Username|provide credentials/.test(err)) {
    return `The server${at} refused this kubeconfig's credentials: ${err.replace(/^error: /, '')}. Use a kubeconfig whose identity may use `
      + `${APPS_GROUP_VERSION} in the tenants the bundle writes. Nothing was applied.`;
  }
  if (/refused|no such host|Unable to connect|dial tcp|i\/o timeout|deadline exceeded|Client.Timeout|TLS handshake|EOF|connection reset|no route to host/i.test(err)) {
    return `Cannot reach the management cluster's API server${at}: ${err.replace(/^error: /, '')}. `
      + `Check that the kubeconfig${server ? '' : ' (and context)'} points at the running cluster and that this machine can reach it. Nothing was applied.`;
  }
  return `The management cluster${at} did not answer the preflight check (kubectl get --raw /apis/${APPS_GROUP_VERSION}): ${err || `exit code ${r.code}`}. Nothing was applied.`;
}
