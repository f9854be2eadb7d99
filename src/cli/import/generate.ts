/**
 * From `apps.cozystack.io` objects to a TypeScript program that declares them with this
 * library: one statement per construct, tenants nested, variables named after tenants.
 * A pure function of the objects; the registry of kinds and the construct map of the
 * domain layer say which construct declares each kind (the CLI never imports constructs).
 */
import { ChartName, chartData, undeclaredFields } from '../../domain/charts';
import { CONSTRUCT_OF_KIND, ConstructOfKind, GATEWAY_CONSTRUCT } from '../../domain/construct-names';
import { tenantNamespace } from '../../domain/inheritance';
import { MANAGED_BY_LABEL } from '../../domain/labels';
import { CLUSTER_SERVICES, COZYSTACK_API_VERSION, REGISTRY, ROOT_NAMESPACE, ROOT_TENANT_NAME } from '../../domain/registry';
import { CozystackVersion } from '../../domain/versions';

export interface GenerateOptions {
  /** The Cozystack version the platform runs, e.g. `v1.6`. */
  readonly version: string;
  /** The platform's publishing host (the root tenant's host). */
  readonly rootHost: string;
  /** @default "platform" */
  readonly rootId?: string;
  /** Leave out spec values equal to the chart's defaults (a server returns every default it fills in). */
  readonly stripDefaults: boolean;
  /** The module the program imports the constructs from. @default "cdk8s-cozystack" */
  readonly library?: string;
  /** Where the objects came from, for the header comment. */
  readonly source?: string;
}

/** An object the program does not declare, and why. */
export interface Skipped {
  /** `Kind/namespace/name`. */
  readonly object: string;
  readonly why: string;
}

export interface GenerateResult {
  readonly program: string;
  readonly skipped: Skipped[];
  /** How many constructs the program declares (tenants, modules, apps). */
  readonly constructs: number;
}

interface TenantNode {
  readonly name: string;
  readonly namespace: string;
  readonly parent?: TenantNode;
  readonly spec: Record<string, any>;
  readonly children: TenantNode[];
  readonly modules: Map<string, any>;
  readonly apps: any[];
  variable?: string;
}

const key = (o: any) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

function isPlainObject(x: unknown): x is Record<string, any> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every(k => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * The spec without the values a server fills in from the chart: a value equal to its default
 * (chart values, or the schema's `default` inside map entries) goes, and so does a map left empty
 * where the chart has a default for it. Lists are compared whole.
 */
export function stripDefaults(spec: Record<string, any>, defaults: unknown, schema: any): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(spec)) {
    const sub = schema?.properties?.[k] ?? (isPlainObject(schema?.additionalProperties) ? schema.additionalProperties : undefined);
    const d = isPlainObject(defaults) && k in defaults ? defaults[k] : sub?.default;
    if (d !== undefined && deepEqual(v, d)) continue;
    if (isPlainObject(v) && (isPlainObject(d) || sub?.properties || isPlainObject(sub?.additionalProperties))) {
      const inner = stripDefaults(v, isPlainObject(d) ? d : undefined, sub);
      if (Object.keys(inner).length === 0 && d !== undefined) continue;
      out[k] = inner;
      continue;
    }
    out[k] = v;
  }
  return out;
}

/** Deletes `spec.a.b[0].c` from a spec. */
function deletePath(spec: Record<string, any>, specPath: string): void {
  const parts = specPath.replace(/\[(\d+)\]/g, '.$1').split('.').slice(1);
  let at: any = spec;
  for (const p of parts.slice(0, -1)) at = at?.[p];
  if (at && typeof at === 'object') delete at[parts[parts.length - 1]];
}

const RESERVED = new Set(('break case catch class const continue debugger default delete do else enum export extends false finally for '
  + 'function if import in instanceof new null return super switch this throw true try typeof var void while with as implements '
  + 'interface let package private protected public static yield await any boolean number string symbol type of app root').split(' '));

function camel(s: string): string {
  const c = s.replace(/[-_.]+([a-z0-9])/g, (_, x: string) => x.toUpperCase()).replace(/[^A-Za-z0-9_$]/g, '');
  return /^[0-9]/.test(c) ? `_${c}` : c;
}

/** Source text placed into a literal as it is (a variable, a list of references). */
class Code {
  constructor(public readonly text: string) {}
}

const propName = (k: string) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : quote(k));

/** TypeScript source of a JSON value on one line. */
function flat(value: unknown): string {
  if (value instanceof Code) return value.text;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(flat).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${propName(k)}: ${flat(v)}`).join(', ')} }`;
}

/** TypeScript source of a JSON value: on one line when it fits in 110 columns from `column`, one entry per line otherwise. */
export function literal(value: unknown, indent: string, column: number): string {
  const line = flat(value);
  if (column + line.length <= 110 || value instanceof Code) return line;
  const inner = `${indent}  `;
  if (Array.isArray(value) && value.length > 0) {
    return `[\n${value.map(v => `${inner}${literal(v, inner, inner.length + 1)},`).join('\n')}\n${indent}]`;
  }
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    const entries = Object.entries(value).map(([k, v]) => `${inner}${propName(k)}: ${literal(v, inner, inner.length + propName(k).length + 3)},`);
    return `{\n${entries.join('\n')}\n${indent}}`;
  }
  return line;
}

function quote(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\uffff]/.test(s)) return JSON.stringify(s);
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, '\\\'')}'`;
}

/** The construct props of a spec: chart values (defaults stripped where asked), unknown fields dropped and listed. */
function chartProps(obj: any, chart: string, release: string, opts: GenerateOptions, skipped: Skipped[], drop: string[] = []): Record<string, any> {
  let spec: Record<string, any> = JSON.parse(JSON.stringify(obj.spec ?? {}));
  for (const f of drop) delete spec[f];
  const data = chartData(release, chart as ChartName);
  if (opts.stripDefaults) spec = stripDefaults(spec, data.values, data.schema);
  for (const p of undeclaredFields(release, chart as ChartName, spec)) {
    deletePath(spec, p);
    skipped.push({ object: key(obj), why: `${p} is not a value of the ${chart} chart (${release}); the props cannot carry it, so it is left out` });
  }
  return spec;
}

/**
 * The objects of one tenant's subtree, with what it needs to be declared in place: the
 * Tenant objects and module tuning objects of its ancestors (their apps are left out) and
 * the root's flags. Objects of other API groups are kept (they are reported as not imported).
 */
export function selectSubtree(objects: any[], namespace: string): any[] {
  const group = COZYSTACK_API_VERSION.split('/')[0];
  const ours = (o: any) => typeof o?.apiVersion === 'string' && o.apiVersion.split('/')[0] === group;
  // Each tenant namespace's parent namespace, from the Tenant objects.
  const parentOf = new Map<string, string>();
  for (const o of objects) {
    if (!ours(o) || o.kind !== 'Tenant' || !o.metadata?.namespace) continue;
    if (o.metadata.namespace === ROOT_NAMESPACE && o.metadata.name === ROOT_TENANT_NAME) continue;
    const own = typeof o.status?.namespace === 'string' && o.status.namespace ? o.status.namespace : tenantNamespace(o.metadata.namespace, o.metadata.name);
    parentOf.set(own, o.metadata.namespace);
  }
  if (namespace !== ROOT_NAMESPACE && !parentOf.has(namespace)) {
    throw new Error(`No Tenant among the objects read has the namespace ${namespace}; tenants: ${[...parentOf.keys()].sort().join(', ') || 'none'}.`);
  }
  const within = (ns: string | undefined): boolean => ns !== undefined && (ns === namespace || within(parentOf.get(ns)));
  const ancestors = new Set<string>([ROOT_NAMESPACE]);
  for (let ns = parentOf.get(namespace); ns !== undefined; ns = parentOf.get(ns)) ancestors.add(ns);
  return objects.filter(o => {
    if (!ours(o)) return within(o?.metadata?.namespace);
    const ns: string | undefined = o.metadata?.namespace;
    if (within(ns)) return true;
    if (o.kind === 'Tenant') {
      const isRoot = ns === ROOT_NAMESPACE && o.metadata.name === ROOT_TENANT_NAME;
      const own = isRoot ? ROOT_NAMESPACE : typeof o.status?.namespace === 'string' && o.status.namespace
        ? o.status.namespace : tenantNamespace(ns ?? '', o.metadata.name);
      return ancestors.has(own) || within(own);
    }
    return ns !== undefined && ancestors.has(ns) && CONSTRUCT_OF_KIND[o.kind]?.form === 'module';
  });
}

/**
 * Label and annotation prefixes the platform and its tools write (Cozystack, Flux, kubectl,
 * Helm), and the library's own label: none of them is the user's to declare.
 */
const SYSTEM_METADATA = [
  MANAGED_BY_LABEL, 'apps.cozystack.io', 'cozystack.io', 'helm.toolkit.fluxcd.io', 'kustomize.toolkit.fluxcd.io', 'fluxcd.io',
  'sharding.fluxcd.io', 'kubectl.kubernetes.io/', 'meta.helm.sh/', 'helm.sh/', 'reconcile.fluxcd.io/',
];

/** Labels and annotations the constructs cannot carry: listed, not silently lost. */
function metadataNotCarried(o: any): Skipped[] {
  const out: Skipped[] = [];
  for (const field of ['labels', 'annotations'] as const) {
    for (const k of Object.keys(o.metadata?.[field] ?? {})) {
      if (SYSTEM_METADATA.some(p => k === p || k.startsWith(p.endsWith('/') ? p : `${p}/`) || k.split('/')[0].endsWith(`.${p}`))) continue;
      out.push({ object: key(o), why: `metadata.${field}.${k} is not carried over: the constructs take no ${field} (add it with apiObject.metadata)` });
    }
  }
  return out;
}

/** Generates the program; objects of other API groups and objects the library cannot place are skipped with the reason. */
export function generateProgram(objects: any[], opts: GenerateOptions): GenerateResult {
  const version = CozystackVersion.of(opts.version);
  const release = version.chartRelease;
  const group = COZYSTACK_API_VERSION.split('/')[0];
  const skipped: Skipped[] = [];
  const apps: any[] = [];
  const tenantObjects: any[] = [];
  let rootSpec: Record<string, any> = {};

  for (const o of objects) {
    if (!o || typeof o !== 'object') continue;
    if (typeof o.apiVersion !== 'string' || o.apiVersion.split('/')[0] !== group) {
      skipped.push({ object: key(o), why: `not an ${group} object: the library declares Cozystack's kinds only (declare it as a cdk8s ApiObject)` });
      continue;
    }
    const c = CONSTRUCT_OF_KIND[o.kind];
    if (c && c.form !== 'none' && REGISTRY.tryGet(o.kind)) skipped.push(...metadataNotCarried(o));
    if (!c || !REGISTRY.tryGet(o.kind)) {
      skipped.push({ object: key(o), why: `the library has no construct for the kind ${o.kind}` });
    } else if (o.kind === 'Tenant' && o.metadata?.namespace === ROOT_NAMESPACE && o.metadata?.name === ROOT_TENANT_NAME) {
      rootSpec = o.spec ?? {};
    } else if (o.kind === 'Tenant') {
      tenantObjects.push(o);
    } else if (c.form !== 'none') {
      apps.push(o);
    }
  }

  // The tree: a Tenant lives in its parent's namespace (SPEC §3).
  const root: TenantNode = { name: ROOT_TENANT_NAME, namespace: ROOT_NAMESPACE, spec: rootSpec, children: [], modules: new Map(), apps: [], variable: 'root' };
  const byNamespace = new Map<string, TenantNode>([[ROOT_NAMESPACE, root]]);
  let pending = [...tenantObjects];
  for (let progress = true; progress && pending.length > 0;) {
    progress = false;
    const rest: any[] = [];
    for (const o of pending) {
      const parent = byNamespace.get(o.metadata.namespace);
      if (!parent) {
        rest.push(o);
        continue;
      }
      const namespace = typeof o.status?.namespace === 'string' && o.status.namespace ? o.status.namespace : tenantNamespace(parent.namespace, o.metadata.name);
      const node: TenantNode = {
        name: o.metadata.name, namespace, parent, spec: o.spec ?? {}, children: [], modules: new Map(), apps: [],
      };
      parent.children.push(node);
      byNamespace.set(namespace, node);
      progress = true;
    }
    pending = rest;
  }
  for (const o of pending) {
    skipped.push({ object: key(o), why: `its namespace ${o.metadata.namespace} is no tenant's namespace among the objects read (its parent Tenant is missing)` });
  }

  for (const o of apps) {
    const tenant = byNamespace.get(o.metadata?.namespace);
    const def = REGISTRY.get(o.kind);
    const c = CONSTRUCT_OF_KIND[o.kind];
    if (!tenant) {
      skipped.push({ object: key(o), why: `its namespace ${o.metadata?.namespace} is no tenant's namespace among the objects read` });
    } else if (c.form === 'module') {
      const flagOn = def.service === undefined || tenant.spec[def.service] === true;
      if (def.rootOnly && tenant !== root) skipped.push({ object: key(o), why: `${c.construct} may only be declared on the root tenant` });
      else if (o.metadata.name !== def.fixedName) skipped.push({ object: key(o), why: `a ${o.kind} object must be named ${def.fixedName}` });
      else if (!flagOn) skipped.push({ object: key(o), why: `its tenant's ${def.service} flag is off: ${c.construct} always turns it on, and the tuning object alone does nothing` });
      else tenant.modules.set(o.kind, o);
    } else {
      tenant.apps.push(o);
    }
  }

  // Variables: tenants by name, made unique with their parents' names.
  const taken = new Set<string>(RESERVED);
  const variableOf = (base: string, parent: string | undefined): string => {
    let v = camel(base);
    if (RESERVED.has(v) || taken.has(v)) v = parent ? `${parent}${v.charAt(0).toUpperCase()}${v.slice(1)}` : `${v}Tenant`;
    for (let i = 2; taken.has(v) || RESERVED.has(v); i++) v = `${camel(base)}${i}`;
    taken.add(v);
    return v;
  };

  const classes = new Set<string>(['RootTenant', 'CozystackVersion']);
  const lines: string[] = [];
  let constructs = 1;
  const rootId = opts.rootId ?? 'platform';

  const emitTenant = (t: TenantNode): void => {
    const body: string[] = [];
    const scope = t.variable!;
    const ids = new Set<string>(t.children.map(c => c.name));
    // Modules: the tenant's flags, with their tuning objects' values.
    for (const service of CLUSTER_SERVICES) {
      if (t.spec[service] !== true) continue;
      const kind = REGISTRY.moduleOf(service).kind;
      const c = CONSTRUCT_OF_KIND[kind];
      const tuning = t.modules.get(kind);
      const props = tuning ? chartProps(tuning, REGISTRY.get(kind).chart, release, opts, skipped) : {};
      classes.add(c.construct);
      body.push(`new ${c.construct}(${scope}${Object.keys(props).length ? `, ${literal(props, '', c.construct.length + scope.length + 8)}` : ''});`);
      constructs++;
    }
    if (t !== root && t.spec.gateway === true) {
      classes.add(GATEWAY_CONSTRUCT);
      body.push(`new ${GATEWAY_CONSTRUCT}(${scope});`);
      constructs++;
    }
    for (const [kind, o] of t.modules) {
      const def = REGISTRY.get(kind);
      if (def.service !== undefined) continue;
      const c = CONSTRUCT_OF_KIND[kind];
      const props = chartProps(o, def.chart, release, opts, skipped);
      classes.add(c.construct);
      body.push(`new ${c.construct}(${scope}${Object.keys(props).length ? `, ${literal(props, '', c.construct.length + scope.length + 8)}` : ''});`);
      constructs++;
    }

    // Apps: the kinds others refer to first, so their variables exist when used.
    const referenced = new Set(Object.values(CONSTRUCT_OF_KIND).map(c => c.references?.kind).filter((k): k is string => !!k));
    const rank = (o: any) => (referenced.has(o.kind) ? 0 : 1);
    const ordered = [...t.apps].sort((a, b) => rank(a) - rank(b) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0)
      || (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
    const needed = new Set<string>();
    for (const o of ordered) {
      const ref = CONSTRUCT_OF_KIND[o.kind].references;
      if (!ref) continue;
      const v = o.spec?.[ref.specField];
      for (const n of ref.shape === 'one' ? [v] : Array.isArray(v) ? v.map((d: any) => d?.name) : []) needed.add(`${ref.kind}/${n}`);
    }
    const appVars = new Map<string, string>();
    for (const o of ordered) {
      const c: ConstructOfKind = CONSTRUCT_OF_KIND[o.kind];
      const def = REGISTRY.get(o.kind);
      const name: string = o.metadata.name;
      const ref = c.references;
      let refValue: Code | undefined;
      let id = name;
      if (ref) {
        const v = o.spec?.[ref.specField];
        if (ref.shape === 'one') {
          const target = appVars.get(`${ref.kind}/${v}`);
          if (typeof v !== 'string' || !target) {
            skipped.push({ object: key(o), why: `its ${ref.specField} "${v}" names no ${ref.kind} of the same tenant, and ${c.construct} takes that ${ref.kind} as a construct` });
            continue;
          }
          refValue = new Code(target);
          // KubernetesNodes are named <cluster>-<id> by default.
          if (name.startsWith(`${v}-`) && name.length > v.length + 1) id = name.slice(v.length + 1);
        } else if (v !== undefined) {
          const list: any[] = Array.isArray(v) ? v : [];
          const entries = list.map(d => ({ d, target: appVars.get(`${ref.kind}/${d?.name}`) }));
          if (!Array.isArray(v) || entries.some(e => !e.target || Object.keys(e.d ?? {}).some(k => k !== 'name' && k !== 'bus'))) {
            skipped.push({ object: key(o), why: `its ${ref.specField} name objects that are no ${ref.kind} of the same tenant (or carry more than name and bus)` });
            continue;
          }
          refValue = new Code(`[${entries.map(e => `{ disk: ${e.target}${e.d.bus !== undefined ? `, bus: ${quote(String(e.d.bus))}` : ''} }`).join(', ')}]`);
        }
      }
      const chart = chartProps(o, def.chart, release, opts, skipped, ref ? [ref.specField] : []);
      for (let i = 2; ids.has(id); i++) id = i === 2 ? `${name}-${o.kind.toLowerCase()}` : `${name}-${o.kind.toLowerCase()}${i}`;
      ids.add(id);
      const props: Record<string, unknown> = {};
      const defaultName = ref?.shape === 'one' ? `${o.spec[ref.specField]}-${id}` : id;
      if (defaultName !== name) props.name = name;
      if (ref && refValue) props[ref.prop] = refValue;
      if (o.kind === 'Postgres' && (Object.values<any>(chart.users ?? {}).some(u => u?.password) || chart.backup?.s3AccessKey || chart.backup?.s3SecretKey)) {
        props.allowPlaintextSecrets = true;
      }
      // Postgres takes parameters as strings (v0.41 types some as integers; the construct converts them back).
      const parameters = o.kind === 'Postgres' ? chart.postgresql?.parameters : undefined;
      if (isPlainObject(parameters)) {
        for (const [k, v] of Object.entries(parameters)) if (typeof v === 'number') parameters[k] = String(v);
      }
      Object.assign(props, chart);
      classes.add(c.construct);
      const start = `new ${c.construct}(${scope}, ${quote(id)}`;
      const propsText = Object.keys(props).length ? `, ${literal(props, '', start.length + 2)}` : '';
      const statement = `${start}${propsText});`;
      if (needed.has(`${o.kind}/${name}`)) {
        const v = variableOf(name, scope);
        appVars.set(`${o.kind}/${name}`, v);
        body.push(`const ${v} = ${statement}`);
      } else {
        body.push(statement);
      }
      constructs++;
    }
    for (const s of body) lines.push(s);

    for (const child of [...t.children].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const props = tenantProps(child, version, skipped, opts.stripDefaults);
      const hasBody = child.children.length > 0 || child.apps.length > 0 || child.modules.size > 0
        || CLUSTER_SERVICES.some(s => child.spec[s] === true) || child.spec.gateway === true;
      const statement = `new Tenant(${scope}, ${quote(child.name)}${Object.keys(props).length ? `, ${literal(props, '', 20 + scope.length + child.name.length)}` : ''});`;
      classes.add('Tenant');
      constructs++;
      lines.push('');
      if (hasBody) {
        child.variable = variableOf(child.name, scope);
        lines.push(`const ${child.variable} = ${statement}`);
        emitTenant(child);
      } else {
        lines.push(statement);
      }
    }
  };

  for (const k of Object.keys(rootSpec)) {
    const flag = (CLUSTER_SERVICES as readonly string[]).includes(k);
    if (!flag && rootSpec[k] !== undefined && !(opts.stripDefaults && isDefaultTenantValue(k, rootSpec[k], release))) {
      skipped.push({ object: `Tenant/${ROOT_NAMESPACE}/${ROOT_TENANT_NAME}`, why: `spec.${k} of the root tenant is the platform's: RootTenant declares only its module flags` });
    }
  }
  emitTenant(root);

  const library = opts.library ?? 'cdk8s-cozystack';
  const out: string[] = [];
  out.push(`// Generated by \`cdk8s-cozystack import\`${opts.source ? ` from ${opts.source}` : ''}: ${constructs} constructs. Edit freely.`);
  if (skipped.length > 0) {
    out.push('//', '// Not imported: the library cannot express these yet.');
    for (const s of skipped) out.push(`// - ${s.object}: ${s.why}`);
  }
  out.push('import { App } from \'cdk8s\';');
  const names = [...classes].sort();
  const oneLine = `import { ${names.join(', ')} } from ${quote(library)};`;
  out.push(oneLine.length <= 110 ? oneLine : `import {\n${names.map(n => `  ${n},`).join('\n')}\n} from ${quote(library)};`);
  out.push('');
  out.push('const app = new App();');
  out.push(`${lines.some(l => l.trim()) ? 'const root = ' : ''}new RootTenant(app, ${quote(rootId)}, { host: ${quote(opts.rootHost)}, version: CozystackVersion.V${version.major}_${version.minor} });`);
  out.push(...lines);
  out.push('');
  out.push('app.synth();');
  return { program: `${out.join('\n')}\n`, skipped, constructs };
}

function isDefaultTenantValue(k: string, v: unknown, release: string): boolean {
  const data = chartData(release, 'tenant' as ChartName);
  const d = (data.values as any)?.[k] ?? data.schema?.properties?.[k]?.default;
  return deepEqual(v, d);
}

/**
 * A Tenant's props: what its spec says beyond the module flags (which become module constructs).
 * Stripping defaults, empty values go (the server fills them in); keeping them, every value the
 * spec states is carried, as the Tenant construct writes each prop given.
 */
function tenantProps(t: TenantNode, version: CozystackVersion, skipped: Skipped[], strip: boolean): Record<string, any> {
  const props: Record<string, any> = {};
  const s = t.spec;
  const stated = (v: unknown, empty: boolean) => v !== undefined && v !== null && (!strip || !empty);
  if (typeof s.host === 'string' && stated(s.host, s.host === '')) props.host = s.host;
  const quotas = s.resourceQuotas;
  if (isPlainObject(quotas) && stated(quotas, Object.keys(quotas).length === 0)) props.resourceQuotas = quotas;
  if (typeof s.schedulingClass === 'string' && stated(s.schedulingClass, s.schedulingClass === '')) props.schedulingClass = s.schedulingClass;
  if (s.gateway === false) props.gateway = false;
  if (version.major === 0 && typeof s.isolated === 'boolean' && stated(s.isolated, s.isolated === true)) props.isolated = s.isolated;
  const known = new Set(['host', 'resourceQuotas', 'schedulingClass', 'gateway', 'isolated', ...CLUSTER_SERVICES]);
  for (const k of Object.keys(s)) {
    if (!known.has(k)) skipped.push({ object: `Tenant/${t.parent?.namespace}/${t.name}`, why: `spec.${k} is not a Tenant prop; it is left out` });
  }
  return props;
}
