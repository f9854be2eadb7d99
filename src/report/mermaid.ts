/**
 * The topology as a Mermaid flowchart, which GitHub renders in Markdown: tenant
 * subgraphs holding their apps and child tenants (left to right, so that siblings
 * stack downwards and a wide tree scrolls instead of shrinking), a node per tenant for the services
 * it runs, and an arrow from each app to each tenant it takes etcd, ingress or
 * monitoring from (solid when the app's own tenant provides it, dotted when inherited).
 */
import { APP_SERVICES, CollapseOptions, plural, selectVisible, Topology, TopologyApp, TopologyIndex, TopologyTenant, indexOf } from './model';

/** Options of {@link renderTopologyMermaid}: how much of a large tree to draw. */
export interface MermaidOptions extends CollapseOptions {}

/** A Mermaid id: namespaces and names are `[a-z0-9-]`, so mapping `-` to `_` keeps them apart. */
function id(prefix: string, ...parts: string[]): string {
  return `${prefix}_${parts.map(p => p.replace(/[^A-Za-z0-9]/g, '_')).join('__')}`;
}

/** Text inside a quoted Mermaid label. */
function label(s: string): string {
  return String(s).replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\r?\n/g, ' ');
}

const tenantId = (t: TopologyTenant) => id('t', t.namespace);
const servicesId = (ns: string) => id('s', ns);
const appId = (a: TopologyApp) => id('a', a.namespace, a.kind, a.name);

/** Which services of a provider its apps' arrows need, per provider namespace. */
function neededServices(apps: readonly TopologyApp[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const a of apps) {
    for (const s of APP_SERVICES) {
      const p = a.services[s];
      if (!p) continue;
      if (!out.has(p)) out.set(p, new Set());
      out.get(p)!.add(s);
    }
  }
  return out;
}

/**
 * Renders the topology as Mermaid flowchart text (without the ```mermaid fence).
 * Large trees are collapsed like the SVG's (see {@link CollapseOptions}).
 */
export function renderTopologyMermaid(topology: Topology | TopologyIndex, options: MermaidOptions = {}): string {
  const index = indexOf(topology);
  const visible = selectVisible(index, options);
  const shownApps = [...visible.apps.values()].flat();
  const drawn = new Set(shownApps);
  const needed = neededServices(shownApps);
  const total = index.size(index.root);
  const lines = [
    'flowchart LR',
    `  %% cdk8s-cozystack topology${index.version ? ` for Cozystack ${index.version}` : ''}: `
      + `${plural(total.tenants, 'tenant')}, ${plural(total.apps, 'app')}`
      + (visible.shownTenants < total.tenants || visible.shownApps < total.apps
        ? ` (showing ${visible.shownTenants} tenants, ${visible.shownApps} apps)` : ''),
    '  %% solid arrow: service of the app\'s own tenant; dotted arrow: inherited from an ancestor',
    '  classDef tenant fill:#f6f8fa,stroke:#8c959f,color:#1f2328',
    '  classDef app fill:#ffffff,stroke:#57606a,color:#1f2328',
    '  classDef services fill:#ddf4ff,stroke:#0969da,color:#0a3069',
    '  classDef missing fill:#ffebe9,stroke:#cf222e,color:#82071e,stroke-dasharray:4 3',
    '  classDef collapsed fill:#ffffff,stroke:#8c959f,color:#57606a,stroke-dasharray:4 3',
  ];
  const classes: Record<string, string[]> = { tenant: [], app: [], services: [], missing: [], collapsed: [] };

  const walk = (t: TopologyTenant, indent: string) => {
    lines.push(`${indent}subgraph ${tenantId(t)}["${label(`${t.name} · ${t.namespace} · ${t.host}`)}"]`);
    const inner = `${indent}  `;
    lines.push(`${inner}direction LR`);
    classes.tenant.push(tenantId(t));
    const runs = [...t.modules].sort();
    const missing = [...(needed.get(t.namespace) ?? [])].filter(s => !runs.includes(s)).sort();
    if (runs.length > 0 || missing.length > 0) {
      const text = [runs.length ? `runs ${runs.join(', ')}` : '', missing.length ? `⚠ no ${missing.join(', ')}` : '']
        .filter(x => x).join(' · ');
      lines.push(`${inner}${servicesId(t.namespace)}{{"${label(text)}"}}`);
      classes[missing.length ? 'missing' : 'services'].push(servicesId(t.namespace));
    }
    const apps = visible.apps.get(t.namespace) ?? [];
    for (const a of apps) {
      lines.push(`${inner}${appId(a)}["${label(`${a.kind} ${a.name}`)}${a.host ? `<br/>${label(a.host)}` : ''}"]`);
      classes.app.push(appId(a));
    }
    const hiddenApps = index.appsOf(t).length - apps.length;
    if (hiddenApps > 0) {
      lines.push(`${inner}${id('h', t.namespace)}["${label(`+${plural(hiddenApps, 'more app')}`)}"]`);
      classes.collapsed.push(id('h', t.namespace));
    }
    for (const c of index.children(t)) if (visible.tenants.has(c.namespace)) walk(c, inner);
    const collapsed = visible.collapsed.get(t.namespace);
    if (collapsed) {
      const names = collapsed.tenants.slice(0, 3).map(c => c.name).join(', ') + (collapsed.tenants.length > 3 ? ', …' : '');
      const text = `+${plural(collapsed.size.tenants, 'tenant')}, ${plural(collapsed.size.apps, 'app')}<br/>(${names})`;
      lines.push(`${inner}${id('c', t.namespace)}["${label(text).replace('#lt;br/#gt;', '<br/>')}"]`);
      classes.collapsed.push(id('c', t.namespace));
    }
    lines.push(`${indent}end`);
  };
  walk(index.root, '  ');

  for (const a of index.apps()) {
    if (!drawn.has(a)) continue;
    const byProvider = new Map<string, string[]>();
    for (const s of APP_SERVICES) {
      const p = a.services[s];
      if (!p) continue;
      if (!byProvider.has(p)) byProvider.set(p, []);
      byProvider.get(p)!.push(s);
    }
    for (const [p, services] of [...byProvider.entries()].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))) {
      const own = p === a.namespace;
      lines.push(`  ${appId(a)} ${own ? '-->' : '-.->'}|"${label(`${services.join(', ')} (${own ? 'own' : 'inherited'})`)}"| ${servicesId(p)}`);
    }
  }
  for (const [cls, ids] of Object.entries(classes)) {
    if (ids.length) lines.push(`  class ${ids.join(',')} ${cls}`);
  }
  return lines.join('\n') + '\n';
}
