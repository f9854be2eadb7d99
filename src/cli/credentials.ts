/**
 * `cdk8s-cozystack credentials`: hands the credentials of a bundle's apps to the
 * provider's system. The bundle says which Secrets hold them (`topology.json` records
 * each app's, computed at synth from the registry of kinds; a tenant's kubeconfig
 * Secrets are its Info module's, also from the registry); this command reads them from
 * the management cluster with kubectl.
 *
 * Values never reach stdout or stderr unless `--show-values` is given: without it the
 * JSON says which Secrets and keys exist and which are missing, with every value null.
 * `--output-dir` writes the values to files of mode 0600 instead (and refuses a
 * directory others may read). Nothing is written into the bundle.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { CliIo, EXIT_ERROR, EXIT_OK } from './io';
import { Kubectl, KubectlOptions } from './kubectl';
import { readBundle } from '../bundle/read';
import { COZYSTACK_API_VERSION, deriveNames, REGISTRY } from '../domain/registry';
import { TopologyApp, TopologyTenant } from '../report/model';

/** Exit code when a Secret the bundle names does not exist (yet). */
export const EXIT_MISSING = 3;

export interface CredentialsOptions extends KubectlOptions {
  /** @default "dist" */
  readonly bundle?: string;
  /** A tenant namespace: that tenant and every tenant below it. */
  readonly tenant?: string;
  /** `<namespace>/<name>` (or `<namespace>/<Kind>/<name>` when two kinds share the name): one app. */
  readonly app?: string;
  /** Write the values into files below this directory (created with mode 0700). */
  readonly outputDir?: string;
  /** Put the values into the JSON on stdout. */
  readonly showValues?: boolean;
}

/** The object a Secret belongs to: a Tenant (its Info module's Secrets) or an app. */
interface Owner {
  readonly kind: string;
  readonly plural: string;
  readonly namespace: string;
  readonly name: string;
}

/** One Secret to read. */
interface Wanted {
  readonly namespace: string;
  readonly secret: string;
  readonly keys: readonly string[];
  readonly description: string;
  readonly owner: Owner;
  /** Where it goes in the result. */
  readonly slot: CredentialEntry;
}

/** A credential in the result: key → value (null unless `--show-values`). */
export interface CredentialEntry {
  description: string;
  keys: Record<string, string | null>;
  /** Keys the registry names that the Secret lacks. */
  missingKeys?: string[];
  /** With `--output-dir`: key → file. */
  files?: Record<string, string>;
  /** Set when the Secret does not exist. */
  missing?: true;
}

export interface AppEntry {
  kind: string;
  name: string;
  host: string | null;
  endpoints: Array<{ name: string; kind: string; description: string }>;
  credentials: Record<string, CredentialEntry>;
}

export interface TenantEntry {
  name: string;
  host: string;
  /** The tenant's own kubeconfig and service-account token (its Info module). */
  credentials: Record<string, CredentialEntry>;
  /** By `Kind/name`. */
  apps: Record<string, AppEntry>;
}

/** What `credentials` prints. */
export interface CredentialsResult {
  /** False unless `--show-values`: every value is null. */
  valuesShown: boolean;
  /** By tenant namespace. */
  tenants: Record<string, TenantEntry>;
  /** Secrets that do not exist, with the condition of the object they belong to. */
  missing: Array<{ namespace: string; secret: string; owner: string; condition: string }>;
}

/** Reads the credentials; returns the exit code. */
export async function runCredentials(opts: CredentialsOptions, io: CliIo): Promise<number> {
  if (opts.tenant && opts.app) throw new Error('Pass --tenant or --app, not both.');
  const bundle = readBundle(opts.bundle ?? 'dist');
  const { tenants, apps } = select(bundle.topology.tenants, bundle.topology.apps, opts);
  if (opts.outputDir) prepareDirectory(opts.outputDir);

  const result: CredentialsResult = { valuesShown: !!opts.showValues, tenants: {}, missing: [] };
  const wanted: Wanted[] = [];
  const tenantEntry = (namespace: string): TenantEntry => {
    let e = result.tenants[namespace];
    if (!e) {
      const t = bundle.topology.tenants.find(x => x.namespace === namespace);
      e = result.tenants[namespace] = { name: t?.name ?? namespace, host: t?.host ?? '', credentials: {}, apps: {} };
    }
    return e;
  };
  const info = REGISTRY.get('Info');
  for (const t of tenants) {
    const entry = tenantEntry(t.namespace);
    const owner: Owner = { kind: 'Tenant', plural: REGISTRY.get('Tenant').plural, namespace: t.parentNamespace ?? t.namespace, name: t.name };
    for (const c of deriveNames(info, info.chart, t.namespace, t.host).credentials) {
      const slot: CredentialEntry = entry.credentials[c.secret] = { description: c.description, keys: {} };
      wanted.push({ namespace: t.namespace, secret: c.secret, keys: c.keys, description: c.description, owner, slot });
    }
  }
  for (const a of apps) {
    const entry: AppEntry = tenantEntry(a.namespace).apps[`${a.kind}/${a.name}`] = {
      kind: a.kind,
      name: a.name,
      host: a.host || null,
      endpoints: a.endpoints.map(e => ({ name: e.name, kind: e.kind, description: e.description })),
      credentials: {},
    };
    const owner: Owner = { kind: a.kind, plural: a.plural, namespace: a.namespace, name: a.name };
    for (const c of a.credentials) {
      const slot: CredentialEntry = entry.credentials[c.secret] = { description: c.description, keys: {} };
      wanted.push({ namespace: a.namespace, secret: c.secret, keys: c.keys, description: c.description, owner, slot });
    }
  }

  const kubectl = new Kubectl(opts);
  const found = await readSecrets(kubectl, wanted);
  const missingOwners: Owner[] = [];
  for (const w of wanted) {
    const data = found.get(`${w.namespace}/${w.secret}`);
    if (!data) {
      w.slot.missing = true;
      if (!missingOwners.includes(w.owner)) missingOwners.push(w.owner);
      continue;
    }
    // The registry's keys; all of the Secret's where the registry names none.
    const keys = w.keys.length > 0 ? w.keys : Object.keys(data).sort();
    for (const key of keys) {
      if (!(key in data)) {
        (w.slot.missingKeys ??= []).push(key);
        continue;
      }
      const bytes = Buffer.from(data[key], 'base64');
      w.slot.keys[key] = opts.showValues ? bytes.toString('utf8') : null;
      if (opts.outputDir) {
        const file = writeValue(opts.outputDir, w, key, bytes);
        (w.slot.files ??= {})[key] = file;
      }
    }
  }
  const conditions = await readyConditions(kubectl, missingOwners);
  for (const w of wanted.filter(x => x.slot.missing)) {
    const o = w.owner;
    result.missing.push({ namespace: w.namespace, secret: w.secret, owner: `${o.kind}/${o.namespace}/${o.name}`, condition: conditions.get(o)! });
  }

  io.out(`${JSON.stringify(result, null, 2)}\n`);
  const count = wanted.length - result.missing.length;
  if (!opts.showValues) {
    io.err(`${count} Secret(s) read; values are not shown (null in the JSON): pass --show-values to print them`
      + `${opts.outputDir ? '' : ', or --output-dir <dir> to write them to files of mode 0600'}.\n`);
  }
  if (opts.outputDir) io.err(`Wrote the values of ${count} Secret(s) into ${opts.outputDir} (files of mode 0600).\n`);
  for (const m of result.missing) {
    io.err(`missing: Secret ${m.namespace}/${m.secret} of ${m.owner} does not exist; ${m.condition}\n`);
  }
  return result.missing.length > 0 ? EXIT_MISSING : EXIT_OK;
}

/** The tenants and apps asked for: all, a tenant subtree, or one app. */
function select(allTenants: readonly TopologyTenant[], allApps: readonly TopologyApp[], opts: CredentialsOptions): {
  tenants: TopologyTenant[]; apps: TopologyApp[];
} {
  if (opts.app) {
    const parts = opts.app.split('/');
    const [namespace, kind, name] = parts.length === 3 ? parts : [parts[0], undefined, parts[1]];
    if (parts.length < 2 || parts.length > 3 || !namespace || !name) {
      throw new Error(`--app takes <namespace>/<name> (or <namespace>/<Kind>/<name>), e.g. tenant-foo/db1; got "${opts.app}".`);
    }
    const matches = allApps.filter(a => a.namespace === namespace && a.name === name && (!kind || a.kind.toLowerCase() === kind.toLowerCase()));
    if (matches.length === 0) {
      const inNs = allApps.filter(a => a.namespace === namespace).map(a => `${a.namespace}/${a.name} (${a.kind})`);
      throw new Error(`The bundle has no app ${opts.app}. ${inNs.length ? `Apps in ${namespace}: ${inNs.join(', ')}.` : `No app lives in ${namespace}.`}`);
    }
    if (matches.length > 1) {
      throw new Error(`${opts.app} names ${matches.length} apps: pass one of ${matches.map(a => `${a.namespace}/${a.kind}/${a.name}`).join(', ')}.`);
    }
    return { tenants: [], apps: matches };
  }
  if (opts.tenant) {
    if (!allTenants.some(t => t.namespace === opts.tenant)) {
      throw new Error(`The bundle has no tenant with namespace ${opts.tenant}; its tenants: ${allTenants.map(t => t.namespace).join(', ')}.`);
    }
    const parentOf = new Map(allTenants.map(t => [t.namespace, t.parentNamespace]));
    const inSubtree = (ns: string | null): boolean => ns !== null && (ns === opts.tenant || inSubtree(parentOf.get(ns) ?? null));
    return { tenants: allTenants.filter(t => inSubtree(t.namespace)), apps: allApps.filter(a => inSubtree(a.namespace)) };
  }
  return { tenants: [...allTenants], apps: [...allApps] };
}

/** Reads the Secrets, one kubectl call per namespace; returns `namespace/name` → data (base64). */
async function readSecrets(kubectl: Kubectl, wanted: Wanted[]): Promise<Map<string, Record<string, string>>> {
  const byNs = new Map<string, Set<string>>();
  for (const w of wanted) {
    if (!byNs.has(w.namespace)) byNs.set(w.namespace, new Set());
    byNs.get(w.namespace)!.add(w.secret);
  }
  const found = new Map<string, Record<string, string>>();
  for (const [ns, names] of byNs) {
    const r = await kubectl.run(['get', 'secrets', ...names, '-n', ns, '--ignore-not-found', '-o', 'json']);
    // kubectl's stderr never holds a Secret's data; its stdout does, so it is never shown.
    if (r.code !== 0) throw new Error(`kubectl could not read the Secrets of ${ns}: ${r.stderr.trim()}`);
    for (const s of items(r.stdout)) found.set(`${ns}/${s.metadata.name}`, s.data ?? {});
  }
  return found;
}

/** The objects of `kubectl get -o json` output: one object, a List, or nothing. */
function items(stdout: string): any[] {
  if (!stdout.trim()) return [];
  const parsed = JSON.parse(stdout);
  return Array.isArray(parsed.items) ? parsed.items : [parsed];
}

/** For each owner of a missing Secret: its Ready condition, in words. */
async function readyConditions(kubectl: Kubectl, owners: Owner[]): Promise<Map<Owner, string>> {
  const out = new Map<Owner, string>();
  const group = COZYSTACK_API_VERSION.split('/')[0];
  for (const o of owners) {
    const r = await kubectl.run(['get', `${o.plural}.${group}`, o.name, '-n', o.namespace, '--ignore-not-found', '-o', 'json']);
    const obj = r.code === 0 ? items(r.stdout)[0] : undefined;
    if (r.code !== 0) {
      out.set(o, `its ${o.kind} could not be read (${r.stderr.trim()})`);
    } else if (!obj) {
      out.set(o, `its ${o.kind} does not exist: apply the bundle first`);
    } else {
      const c = (obj.status?.conditions ?? []).find((x: any) => x.type === 'Ready');
      out.set(o, c
        ? `its ${o.kind} is Ready=${c.status}${c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : ''}`
        : `its ${o.kind} reports no Ready condition yet`);
    }
  }
  return out;
}

/**
 * Makes sure the output directory is one only its owner can read: created with mode 0700
 * when missing, refused when it exists and others may read it (chmod 700 it, or pick another).
 */
function prepareDirectory(dir: string): void {
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dir, 0o700); // mkdir's mode passes through the umask
    return;
  }
  const st = fs.statSync(dir);
  if (!st.isDirectory()) throw new Error(`--output-dir ${dir} exists and is not a directory.`);
  const permissions = st.mode % 0o1000;
  if (permissions % 0o10 >= 0o4) {
    throw new Error(`--output-dir ${dir} is world-readable (mode ${permissions.toString(8)}): anyone on this machine could read the credentials. `
      + `Run chmod 700 ${dir}, or pass a directory that does not exist yet (it is created with mode 700).`);
  }
}

/** Writes one value, its bytes as the Secret holds them, to `<dir>/<tenant namespace>/<owner>/<secret>/<key>` with mode 0600; returns the path. */
function writeValue(dir: string, w: Wanted, key: string, value: Buffer): string {
  const owner = w.owner.kind === 'Tenant' ? 'tenant' : `${w.owner.kind}-${w.owner.name}`;
  const folder = path.join(dir, w.namespace, owner, w.secret);
  for (const d of [path.join(dir, w.namespace), path.join(dir, w.namespace, owner), folder]) {
    if (!fs.existsSync(d)) fs.mkdirSync(d, { mode: 0o700 });
    fs.chmodSync(d, 0o700);
  }
  const file = path.join(folder, key);
  fs.writeFileSync(file, value, { mode: 0o600 });
  fs.chmodSync(file, 0o600); // an existing file keeps its mode otherwise
  return file;
}

/** Adds `credentials` to the program. */
export function registerCredentialsCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program.command('credentials')
    .description('Read the credential Secrets of the bundle\'s apps and tenants from the management cluster and hand them over as JSON '
      + '(tenant → app → Secret → key → value, with the app\'s endpoints) or as files. Values are null unless --show-values; '
      + `exit ${EXIT_MISSING} when a Secret does not exist yet.`)
    .option('--bundle <dir>', 'the applied bundle (its topology.json names the Secrets)', 'dist')
    .option('--tenant <namespace>', 'only this tenant and the tenants below it')
    .option('--app <namespace/name>', 'only this app (namespace/Kind/name when two kinds share the name)')
    .option('--output-dir <dir>', 'write each value to <dir>/<tenant namespace>/<app>/<secret>/<key> (mode 0600; the directory must not be world-readable)')
    .option('--show-values', 'put the values into the JSON on stdout (otherwise they are null)')
    .option('--kubectl <path>', 'the kubectl binary', 'kubectl')
    .option('--context <name>', 'kubeconfig context')
    .option('--kubeconfig <path>', 'kubeconfig file of the management cluster')
    .action(async (opts: CredentialsOptions) => {
      try {
        setExitCode(await runCredentials(opts, io));
      } catch (e) {
        io.err(`error: ${(e as Error).message}\n`);
        setExitCode(EXIT_ERROR);
      }
    });
}
