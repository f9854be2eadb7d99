/**
 * `topology.md`: the platform as a reviewer reads it in a pull request. For each
 * tenant its namespace, host, own modules, who provides each service, its quota,
 * who may manage it and its apps; everything sorted, so the same bundle always
 * gives the same bytes.
 */
import {
  APP_SERVICES, cmp, credentialsOf, plural, ROLE_RIGHTS, ROLES,
  selectVisible, TENANT_SERVICES, Topology, TopologyApp, TopologyIndex, TopologyTenant, Visible, indexOf,
} from './model';

/** Text in a table cell or paragraph: Markdown and HTML specials escaped. */
function text(s: string): string {
  return String(s).replace(/[\\`*_[\]<>|#]/g, c => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** A code span that stays one table cell whatever it holds. */
function code(s: string): string {
  const v = String(s).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  return v.includes('`') ? `\`\` ${v} \`\`` : `\`${v}\``;
}

/** `a`, `a and b`, `a, b and c`. */
function list(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(head: string[], rows: string[][]): string[] {
  return [row(head), row(head.map(() => '---')), ...rows.map(row)];
}

/** `u1 (`tenant-u1`)`, or the namespace alone when it is not a tenant of the bundle. */
function who(index: TopologyIndex, ns: string): string {
  const t = index.tenant(ns);
  return t ? `${text(t.name)} (${code(ns)})` : code(ns);
}

/** Options of {@link renderTopologyTree} and {@link renderTopologyMarkdown}. */
export interface MarkdownOptions {
  /**
   * Show at most this many tenants, level by level from the root; the children left out
   * are summarized in their parent as "+k tenants, m apps". A GitHub comment holds about
   * 65,000 characters, some 30 tenants of `topology.md`.
   * @default - every tenant
   */
  readonly maxTenants?: number;
}

function visibleFor(index: TopologyIndex, options: MarkdownOptions): Visible {
  return selectVisible(index, { maxTenants: options.maxTenants ?? Infinity, maxDepth: Infinity, maxAppsPerTenant: Infinity });
}

function treeLines(index: TopologyIndex, visible: Visible): string[] {
  const lines: string[] = [];
  const walk = (t: TopologyTenant, prefix: string, branch: string) => {
    const runs = t.modules.length ? `  runs: ${[...t.modules].sort(cmp).join(', ')}` : '';
    lines.push(`${prefix}${branch}${t.name}  ${t.namespace}  ${t.host}${runs}`);
    const below = prefix + (branch === '' ? '' : branch === '├─ ' ? '│  ' : '   ');
    const collapsed = visible.collapsed.get(t.namespace);
    const items: Array<{ app?: TopologyApp; tenant?: TopologyTenant; more?: string }> = [
      ...index.appsOf(t).map(app => ({ app })),
      ...index.children(t).filter(c => visible.tenants.has(c.namespace)).map(tenant => ({ tenant })),
    ];
    if (collapsed) {
      const names = collapsed.tenants.slice(0, 5).map(c => c.name).join(', ') + (collapsed.tenants.length > 5 ? ', …' : '');
      items.push({ more: `+${plural(collapsed.size.tenants, 'tenant')}, ${plural(collapsed.size.apps, 'app')} not shown (${names})` });
    }
    items.forEach((item, i) => {
      const b = i === items.length - 1 ? '└─ ' : '├─ ';
      if (item.app) lines.push(`${below}${b}${item.app.kind} ${item.app.name}${item.app.host ? `  ${item.app.host}` : ''}`);
      else if (item.tenant) walk(item.tenant, below, b);
      else lines.push(`${below}${b}${item.more}`);
    });
  };
  walk(index.root, '', '');
  return lines;
}

/** The plain-text tree: tenants with namespace, host and modules, apps with their endpoint. */
export function renderTopologyTree(topology: Topology | TopologyIndex, options: MarkdownOptions = {}): string {
  const index = indexOf(topology);
  return treeLines(index, visibleFor(index, options)).join('\n') + '\n';
}

/** How a tenant gets one service: its own, inherited from whom, or nobody runs it. */
function serviceCell(index: TopologyIndex, t: TopologyTenant, service: string): string {
  const provider = t.services[service];
  if (!provider) return 'not computed';
  const running = index.runs(provider, service);
  if (provider === t.namespace) {
    return running ? '**own**' : `none: ${text(t.name)} is the named provider but does not run it`;
  }
  const from = `inherited from ${who(index, provider)}`;
  return running ? from : `none: ${from}, which does not run it`;
}

/** A provider cell of the apps table. */
function appServiceCell(index: TopologyIndex, app: TopologyApp, service: string): string {
  const provider = app.services[service];
  if (!provider) return '–';
  const own = provider === app.namespace;
  const base = own ? 'own' : `${text(index.tenant(provider)?.name ?? provider)} (inherited)`;
  return index.runs(provider, service) ? base : `⚠ ${base}, not running`;
}

/** Service names written once with their shared prefix: `postgres-db1-rw|ro|r`. */
function sharedPrefix(names: readonly string[]): string {
  if (names.length === 1) return names[0];
  let prefix = names[0];
  for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  prefix = prefix.slice(0, prefix.lastIndexOf('-') + 1);
  return prefix + names.map(n => n.slice(prefix.length)).join('|');
}

/** The endpoints `topology.json` records for an app: its hosts, then its Services inside the cluster. */
function endpointCell(app: TopologyApp): string {
  const parts: string[] = [];
  for (const e of app.endpoints) if (e.kind === 'host') parts.push(`${code(e.name)} (${text(e.description)})`);
  if (parts.length === 0 && app.host) parts.push(code(app.host));
  const services = app.endpoints.filter(e => e.kind === 'service').map(e => e.name);
  if (services.length > 0) parts.push(`${code(`${sharedPrefix(services)}.${app.namespace}.svc`)} (in cluster)`);
  return parts.length ? parts.join('<br>') : '–';
}

function secretCell(app: TopologyApp): string {
  const c = credentialsOf(app);
  if (!c) return '–';
  return c.key ? `${code(c.secret)} key ${code(c.key)}` : code(c.secret);
}

function quotaValue(v: unknown): string {
  return v === undefined || v === null || v === '' ? '–' : code(String(v));
}

/** The quota lines of a tenant, or none when the topology carries no quota field. */
function quotaLines(index: TopologyIndex, t: TopologyTenant): string[] {
  if (!('quota' in t) || t.quota === undefined) return [];
  const q = t.quota;
  const declared = q?.declared ?? {};
  const effective = q?.effective ?? {};
  const remaining = q?.remaining ?? {};
  const keys = [...new Set([...Object.keys(declared), ...Object.keys(effective), ...Object.keys(remaining)])].sort(cmp);
  if (keys.length === 0) return ['**Quota:** none; no limit applies to this subtree.', ''];
  const rows = keys.map(k => {
    const e = effective[k];
    const pool = e?.pool ? (e.pool === t.namespace ? 'own' : who(index, e.pool)) : '–';
    const eff = e ? `${quotaValue(e.amount)}${e.shared ? ' (shared)' : ''}` : '–';
    return [code(k), quotaValue(declared[k]), eff, pool, quotaValue(remaining[k])];
  });
  const lines = ['**Quota** (the budget of the whole subtree):', '', ...table(['Resource', 'Declared', 'Effective', 'Pool', 'Remaining'], rows), ''];
  // A tenant that roots a pool (v1.6): who shares what is left, what sub-tenants with quotas carve out, any overcommit.
  const members = q?.members ?? [];
  const carved = Object.entries(q?.carvedOut ?? {}).sort(([a], [b]) => cmp(a, b)).map(([k, v]) => `${code(k)} ${quotaValue(v)}`);
  const carvedText = carved.length ? `sub-tenants with quotas of their own carve out ${list(carved)}` : '';
  if (members.length > 1) {
    // A pool may hold thousands of namespaces; ten name it well enough.
    const named = members.slice(0, 10).map(m => who(index, m));
    if (members.length > 10) named.push(`${plural(members.length - 10, 'more tenant')}`);
    lines.push(`Its pool is shared by ${list(named)}${carvedText ? `; ${carvedText}` : ''}.`, '');
  } else if (carvedText) {
    lines.push(`Its pool is its own: ${carvedText}.`, '');
  }
  const over = Object.entries(q?.overcommitted ?? {}).sort(([a], [b]) => cmp(a, b)).map(([k, v]) => `${code(k)} by ${quotaValue(v)}`);
  if (over.length > 0) lines.push(`⚠ Overcommitted: ${list(over)}; the quota controller holds every member of the pool at 0 for it.`, '');
  return lines;
}

function managerLines(index: TopologyIndex, t: TopologyTenant): string[] {
  const chain = [...index.ancestors(t), t];
  const rows = chain.map(m => [
    m === t ? `${text(m.name)} itself` : who(index, m.namespace),
    code(`${m.namespace}-{${ROLES.join(',')}}`),
  ]);
  const lines = [
    `**Managed by** (groups bound in ${code(t.namespace)}, each as its role allows):`,
    '',
    ...table(['Tenant', 'Groups'], rows),
    '',
  ];
  const parent = index.parent(t);
  if (parent) {
    const admins = list(index.ancestors(t).map(a => code(`${a.namespace}-super-admin`)));
    lines.push(`The Tenant object ${code(t.name)} lives in ${code(parent.namespace)}: only ${admins} may change or delete it, `
      + 'and deleting it deletes the whole subtree with its data.', '');
  } else {
    lines.push(`The Tenant object ${code(t.name)} lives in ${code(t.namespace)} itself; the platform creates it and protects it from deletion.`, '');
  }
  return lines;
}

function tenantSection(index: TopologyIndex, t: TopologyTenant): string[] {
  const parent = index.parent(t);
  const size = index.size(t);
  const facts = [
    `Namespace ${code(t.namespace)}`,
    `host ${code(t.host)}`,
    parent ? `parent ${who(index, parent.namespace)}` : 'the root tenant',
    `depth ${t.depth}`,
  ];
  if (size.tenants > 1) facts.push(`subtree: ${plural(size.tenants, 'tenant')}, ${plural(size.apps, 'app')}`);
  if (t.schedulingClass) facts.push(`scheduling class ${code(t.schedulingClass)}`);
  const own = t.modules.length ? [...t.modules].sort(cmp).map(code).join(', ') : 'none';
  const lines = [
    `### ${text(t.name)} · ${code(t.path)}`,
    '',
    `${facts.join(' · ')}.`,
    '',
    `**Own modules:** ${own}.`,
    '',
    ...table(['Service', 'Provider'], TENANT_SERVICES.map(s => [s, serviceCell(index, t, s)])),
    '',
    ...quotaLines(index, t),
    ...managerLines(index, t),
  ];
  const apps = index.appsOf(t);
  if (apps.length === 0) {
    lines.push('**Apps:** none.', '');
  } else {
    lines.push('**Apps:**', '', ...table(
      ['App', 'Endpoint', ...APP_SERVICES, 'Secret'],
      apps.map(a => [`${text(a.kind)} ${code(a.name)}`, endpointCell(a), ...APP_SERVICES.map(s => appServiceCell(index, a, s)), secretCell(a)]),
    ), '');
  }
  return lines;
}

/** Apps whose provider runs no such service: they would hang or go unmonitored after apply. */
function warnings(index: TopologyIndex): string[] {
  const out: string[] = [];
  for (const a of index.apps()) {
    for (const s of APP_SERVICES) {
      const p = a.services[s];
      if (!p || index.runs(p, s)) continue;
      const what = s === 'etcd'
        ? (a.kind === 'Kubernetes' ? 'its control plane has no datastore and would wait forever' : 'it has no etcd provider')
        : s === 'ingress' ? 'it has no ingress' : 'its metrics go nowhere';
      out.push(`- ${text(a.kind)} ${code(a.path)}: ${s} provider ${who(index, p)} does not run ${s}; ${what}.`);
    }
  }
  return out;
}

/**
 * Renders `topology.md` from the topology (`topology.json` expanded).
 */
export function renderTopologyMarkdown(topology: Topology | TopologyIndex, options: MarkdownOptions = {}): string {
  const index = indexOf(topology);
  const tenants = index.tenants();
  const apps = index.apps();
  const root = index.root;
  const version = index.version ? `Cozystack ${text(index.version)} · ` : '';
  const lines = [
    `# Platform topology · ${code(root.path)}`,
    '',
    `${version}${plural(tenants.length, 'tenant')} · ${plural(apps.length, 'app')} · root ${code(root.namespace)} at ${code(root.host)}.`,
    '',
    'What Cozystack will compute once this bundle is applied: namespaces, hosts, the tenant that provides each service, '
      + 'and who may manage what (SPEC.md §3).',
    '',
  ];
  const warned = warnings(index);
  if (warned.length) lines.push('## ⚠ Warnings', '', ...warned, '');
  const visible = visibleFor(index, options);
  lines.push('## Tree', '', '```text');
  for (const l of treeLines(index, visible)) lines.push(l);
  lines.push('```', '');
  lines.push(
    '## Roles',
    '',
    'Every tenant namespace binds the groups of the tenant itself and of each of its ancestors, '
      + `${code('<namespace>-view')}, ${code('-use')}, ${code('-admin')} and ${code('-super-admin')}; `
      + 'ancestors reach all their descendants, never their siblings.',
    '',
    ...table(['Role', 'May'], ROLES.map(r => [code(r), text(ROLE_RIGHTS[r])])),
    '',
    '## Tenants',
    '',
  );
  for (const t of tenants) {
    if (!visible.tenants.has(t.namespace)) continue;
    for (const l of tenantSection(index, t)) lines.push(l);
  }
  if (visible.shownTenants < tenants.length) {
    lines.push(`${plural(tenants.length - visible.shownTenants, 'more tenant')} not shown here; see ${code('topology.json')} `
      + `or ${code('cdk8s-cozystack explain <namespace>')}.`, '');
  }
  return lines.join('\n').replace(/\n+$/, '\n');
}
