/**
 * `topology.json` as it is written, and the {@link Topology} the reports and the CLI read.
 *
 * What every app of a kind shares (plural, chart, whether it is a module, the services it
 * uses, whether it holds data, and what each of its credential Secrets and endpoints is)
 * is written once, in the file's `kinds` table. Each app keeps what is its own, the names
 * of its Secrets and endpoints included, so that a reader with jq never renders a
 * template. At 100,000 tenants the repetition alone brought the file near the longest
 * string V8 can hold.
 *
 * {@link compactTopology} writes the file's form and {@link expandTopology} reads it back:
 * `expandTopology(compactTopology(t))` equals `t`.
 */
import { Topology, TopologyApp, TopologyTenant } from '../report/model';

/** What `topology.json` states once for one credential Secret template of a kind. */
export interface TopologyFileCredentialTemplate {
  readonly description: string;
}

/** What `topology.json` states once for one endpoint template of a kind. */
export interface TopologyFileEndpointTemplate {
  /** The registry's id of the template (a Service and an Ingress of the same name share it). */
  readonly id: string;
  /** `service`, `ingress` or `host`. */
  readonly kind: string;
  readonly description: string;
}

/** What every app of one kind shares, in the `kinds` table of `topology.json`. */
export interface TopologyFileKind {
  readonly plural: string;
  readonly chart: string;
  readonly module: boolean;
  readonly uses: readonly string[];
  readonly holdsData: boolean;
  /** By the registry's id of the template, the templates some app of the platform renders. */
  readonly credentials: Readonly<Record<string, TopologyFileCredentialTemplate>>;
  /** By {@link endpointKey} of the template, the templates some app of the platform renders. */
  readonly endpoints: Readonly<Record<string, TopologyFileEndpointTemplate>>;
}

/** A credential Secret of an app in `topology.json`. */
export interface TopologyFileCredential {
  /** The registry's id of its template: its key in the kind's `credentials`. */
  readonly id: string;
  readonly secret: string;
  readonly keys: readonly string[];
}

/** An app in `topology.json`: what is its own; the rest is its kind's entry in `kinds`. */
export interface TopologyFileApp {
  readonly kind: string;
  readonly name: string;
  readonly path: string;
  readonly namespace: string;
  /** Present only for an app with a public host. */
  readonly host?: string | null;
  readonly services: Readonly<Record<string, string>>;
  readonly release: string;
  /** Several entries share an id when their template is per user. */
  readonly credentials: readonly TopologyFileCredential[];
  /**
   * Each endpoint's name by its template's key in the kind's `endpoints` ({@link endpointKey}),
   * in the app's order: one line per endpoint, and `.endpoints["service:rw"]` in jq is the name.
   */
  readonly endpoints: Readonly<Record<string, string>>;
}

/** The content of `topology.json`. */
export interface TopologyFile {
  readonly cozystackVersion?: string;
  /** By kind, each kind that has an app in the platform. */
  readonly kinds: Readonly<Record<string, TopologyFileKind>>;
  readonly tenants: readonly TopologyTenant[];
  readonly apps: readonly TopologyFileApp[];
}

/**
 * The key of an endpoint template in a kind's `endpoints`: its kind and the registry's id,
 * `service:rw`. The id alone is not enough: a Service and an Ingress of the same name (a
 * Kubernetes cluster's `kubernetes-<name>`) share it and differ in kind and description.
 */
export function endpointKey(e: { readonly kind: string; readonly id: string }): string {
  return `${e.kind}:${e.id}`;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sortedRecord<T>(entries: Map<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of [...entries.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) out[key] = entries.get(key)!;
  return out;
}

/**
 * The form `topology.json` is written in. Throws when two apps of a kind disagree on
 * what the file states once for the kind (they never do: the registry of kinds computes
 * it), since the file could not give each app back what it had.
 */
export function compactTopology(topology: Topology): TopologyFile {
  const kinds = new Map<string, {
    facts: Omit<TopologyFileKind, 'credentials' | 'endpoints'>;
    credentials: Map<string, TopologyFileCredentialTemplate>;
    endpoints: Map<string, TopologyFileEndpointTemplate>;
  }>();
  const disagree = (a: TopologyApp, what: string, id?: string) => new Error(
    `topology.json states the ${what}${id === undefined ? '' : ` "${id}"`} of kind ${a.kind} once for all its apps, `
    + `but ${a.path} has a different one. Each template id of the kind must stand for one template.`);
  const apps = topology.apps.map((a): TopologyFileApp => {
    let k = kinds.get(a.kind);
    if (!k) {
      const facts = { plural: a.plural, chart: a.chart, module: a.module, uses: [...a.uses], holdsData: a.holdsData };
      kinds.set(a.kind, k = { facts, credentials: new Map(), endpoints: new Map() });
    } else {
      const f = k.facts;
      if (f.plural !== a.plural || f.chart !== a.chart || f.module !== a.module || f.holdsData !== a.holdsData || !sameList(f.uses, a.uses)) {
        throw disagree(a, 'plural, chart, module, uses and holdsData');
      }
    }
    const credentials = a.credentials.map((c): TopologyFileCredential => {
      if (typeof c.id !== 'string') throw new Error(`${a.path}: credential Secret ${c.secret} has no template id.`);
      const known = k.credentials.get(c.id);
      if (!known) k.credentials.set(c.id, { description: c.description });
      else if (known.description !== c.description) throw disagree(a, 'credential Secret', c.id);
      return { id: c.id, secret: c.secret, keys: c.keys };
    });
    const endpoints: Record<string, string> = {};
    for (const e of a.endpoints) {
      if (typeof e.id !== 'string') throw new Error(`${a.path}: endpoint ${e.name} has no template id.`);
      const key = endpointKey(e);
      if (Object.prototype.hasOwnProperty.call(endpoints, key)) throw new Error(`${a.path} has two endpoints of template ${key}: ${endpoints[key]} and ${e.name}.`);
      const known = k.endpoints.get(key);
      if (!known) k.endpoints.set(key, { id: e.id, kind: e.kind, description: e.description });
      else if (known.description !== e.description) throw disagree(a, 'endpoint', key);
      endpoints[key] = e.name;
    }
    return {
      kind: a.kind,
      name: a.name,
      path: a.path,
      namespace: a.namespace,
      host: a.host,
      services: a.services,
      release: a.release,
      credentials,
      endpoints,
    };
  });
  const table = new Map<string, TopologyFileKind>();
  for (const [kind, k] of kinds) {
    table.set(kind, { ...k.facts, credentials: sortedRecord(k.credentials), endpoints: sortedRecord(k.endpoints) });
  }
  return { cozystackVersion: topology.cozystackVersion, kinds: sortedRecord(table), tenants: topology.tenants, apps };
}

/**
 * The topology a `topology.json` records, each app with what its kind states filled in.
 * Throws when an app names a kind, a credential or an endpoint the `kinds` table does not
 * describe (a file this library did not write, or one edited by hand).
 */
export function expandTopology(file: TopologyFile): Topology {
  const kinds = file.kinds;
  const apps = file.apps.map((a): TopologyApp => {
    const k = Object.prototype.hasOwnProperty.call(kinds, a.kind) ? kinds[a.kind] : undefined;
    if (!k) throw new Error(`app ${a.path} is of kind ${a.kind}, which "kinds" does not describe.`);
    const credentials = a.credentials.map(c => {
      const t = Object.prototype.hasOwnProperty.call(k.credentials, c.id) ? k.credentials[c.id] : undefined;
      if (!t) throw new Error(`app ${a.path} names credential "${c.id}", which kinds.${a.kind}.credentials does not describe.`);
      return { id: c.id, secret: c.secret, keys: c.keys, description: t.description };
    });
    const endpoints = Object.entries(a.endpoints).map(([key, name]) => {
      const t = Object.prototype.hasOwnProperty.call(k.endpoints, key) ? k.endpoints[key] : undefined;
      if (!t) throw new Error(`app ${a.path} names endpoint "${key}", which kinds.${a.kind}.endpoints does not describe.`);
      return { id: t.id, name, kind: t.kind, description: t.description };
    });
    // The keys in the order synthesis gives them, so that the expanded apps print as before.
    return {
      kind: a.kind,
      name: a.name,
      path: a.path,
      namespace: a.namespace,
      ...(a.host === undefined ? {} : { host: a.host }),
      services: a.services,
      plural: k.plural,
      chart: k.chart,
      release: a.release,
      module: k.module,
      uses: k.uses,
      holdsData: k.holdsData,
      credentials,
      endpoints,
    };
  });
  return { ...(file.cozystackVersion === undefined ? {} : { cozystackVersion: file.cozystackVersion }), tenants: file.tenants, apps };
}
