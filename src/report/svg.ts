/**
 * The tenant tree as an SVG, laid out in plain TypeScript (no browser, no layout
 * library). Tenants are nested boxes: a child sits inside its parent, indented, so
 * the left strip of every box is free of content. Each box's strip carries one
 * vertical lane per service (etcd, ingress, monitoring); an app's arrow leaves the
 * app to the left, runs up the lane of the tenant that provides that service and
 * ends on that tenant's service badge. Arrows therefore cross only box borders,
 * never a name or another app, however deep the tree.
 *
 * Badges tell own from inherited services: filled when the tenant runs the service,
 * outlined (naming the provider) when it inherits it, dashed when nobody runs it.
 * Large trees are collapsed (see {@link CollapseOptions}); collapsed subtrees appear
 * as "+k tenants, m apps" rows that name the namespace to focus on next.
 */
import {
  APP_SERVICES, CollapseOptions, credentialsOf, plural, selectVisible, TENANT_SERVICES, Topology, TopologyApp,
  TopologyIndex, TopologyTenant, Visible, indexOf,
} from './model';

/** Options of {@link renderTopologySvg}. */
export interface SvgOptions extends CollapseOptions {
  /**
   * The title at the top of the picture.
   * @default - "Cozystack topology" with the root's path and the Cozystack version
   */
  readonly title?: string;
}

/** Escapes text for XML content and attribute values. */
export function escapeXml(s: string): string {
  return String(s).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }[c]!))
    // Characters XML 1.0 forbids outright (C0 controls other than tab, newline, return).
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd');
}

// Geometry. Every text is set in a monospace face, so widths are known without a browser.
const FONT = 12;
const SMALL = 11;
/** Advance of one character of DejaVu Sans Mono (0.602 em), rounded up. */
const CHAR = 0.61;
const MARGIN = 16;
/** Width of a box's left strip, which holds its provider lanes. */
const INDENT = 34;
/** Lane x offsets in the strip, one per app service. */
const LANE: Record<string, number> = { etcd: 9, ingress: 17, monitoring: 25 };
/** Right inset of a child box inside its parent. */
const INSET = 10;
const BADGE_TOP = 28;
const BADGE_H = 18;
const BADGE_X = 40;
/** Channel y offsets below the badges, one per app service (the lanes turn right here). */
const CHANNEL: Record<string, number> = { etcd: 52, ingress: 58, monitoring: 64 };
const CONTENT_TOP = 72;
const APP_H = 38;
/** Where each service's arrow leaves an app, from the app's top. */
const EXIT: Record<string, number> = { etcd: 11, ingress: 19, monitoring: 27 };
const GAP = 8;
const ROW_H = 26;
const BOTTOM = 10;
const MIN_WIDTH = 720;

const COLORS: Record<string, string> = {
  etcd: '#8250df',
  ingress: '#1a7f37',
  monitoring: '#bc4c00',
  seaweedfs: '#0969da',
  missing: '#cf222e',
  none: '#8c959f',
};

const WHAT: Record<string, string> = { etcd: 'data', ingress: 'traffic', monitoring: 'metrics', seaweedfs: 'object storage' };

function width(text: string, size = FONT): number {
  return Math.ceil([...text].length * size * CHAR);
}

function num(n: number): string {
  return String(Math.round(n * 10) / 10);
}

interface Badge {
  readonly service: string;
  readonly text: string;
  readonly provider: string;
  readonly own: boolean;
  readonly running: boolean;
  x: number;
  readonly w: number;
}

interface TenantBox {
  readonly tenant: TopologyTenant;
  readonly level: number;
  readonly x: number;
  y: number;
  h: number;
  readonly badges: Badge[];
}

interface AppBox {
  readonly app: TopologyApp;
  readonly level: number;
  readonly x: number;
  y: number;
}

interface SummaryRow {
  readonly text: string;
  readonly level: number;
  readonly x: number;
  y: number;
  readonly attrs: string;
}

/** The badges of a tenant, one per service, positioned left to right. */
function badgesOf(index: TopologyIndex, t: TopologyTenant, x: number): Badge[] {
  let at = x + BADGE_X;
  return TENANT_SERVICES.map(service => {
    const provider = t.services[service] ?? '';
    const own = provider === t.namespace;
    const running = index.runs(provider, service);
    const text = !running ? `${service}: none` : own ? service : `${service} ← ${provider}`;
    const w = width(text, SMALL) + 14;
    const b: Badge = { service, text, provider, own, running, x: at, w };
    at += w + 6;
    return b;
  });
}

class Layout {
  public readonly tenants: TenantBox[] = [];
  public readonly apps: AppBox[] = [];
  public readonly rows: SummaryRow[] = [];
  public readonly boxOf = new Map<string, TenantBox>();
  /** The width every element asks for: its x, its content, and the insets of its level. */
  public need = MIN_WIDTH;

  public constructor(private readonly index: TopologyIndex, private readonly visible: Visible) {}

  /** Lays out a tenant's box at `y`; returns its height. */
  public place(t: TopologyTenant, level: number, y: number): number {
    const x = MARGIN + level * INDENT;
    const box: TenantBox = { tenant: t, level, x, y, h: 0, badges: badgesOf(this.index, t, x) };
    this.tenants.push(box);
    this.boxOf.set(t.namespace, box);
    const header = 10 + width(`${t.name}  ${t.namespace}  ${t.host}`) + 10;
    const last = box.badges[box.badges.length - 1];
    this.ask(level, Math.max(header, last.x + last.w - x + 10) + x);

    let at = y + CONTENT_TOP;
    const inner = x + INDENT;
    const apps = this.visible.apps.get(t.namespace) ?? [];
    for (const app of apps) {
      this.apps.push({ app, level: level + 1, x: inner, y: at });
      this.ask(level + 1, inner + 12 + Math.max(width(`${app.kind} ${app.name}`), width(app.host ?? '', SMALL)) + 12);
      at += APP_H + GAP;
    }
    const hiddenApps = this.index.appsOf(t).length - apps.length;
    if (hiddenApps > 0) at = this.row(`+${plural(hiddenApps, 'more app')} (not drawn)`, level + 1, inner, at, `class="more-apps" data-count-apps="${hiddenApps}"`);
    for (const c of this.index.children(t)) {
      if (!this.visible.tenants.has(c.namespace)) continue;
      at += this.place(c, level + 1, at) + GAP;
    }
    const collapsed = this.visible.collapsed.get(t.namespace);
    if (collapsed) {
      const names = collapsed.tenants.map(c => c.name);
      const shown = names.slice(0, 4).join(', ') + (names.length > 4 ? `, +${names.length - 4}` : '');
      const hint = collapsed.tenants.length === 1 ? `; focus: ${collapsed.tenants[0].namespace}` : '';
      const text = `+${plural(collapsed.size.tenants, 'tenant')}, ${plural(collapsed.size.apps, 'app')} collapsed: ${shown}${hint}`;
      const attrs = `class="collapsed" data-tenants="${escapeXml(collapsed.tenants.map(c => c.namespace).join(' '))}" `
        + `data-count-tenants="${collapsed.size.tenants}" data-count-apps="${collapsed.size.apps}"`;
      at = this.row(text, level + 1, inner, at, attrs);
    }
    box.h = Math.max(at - y + BOTTOM - GAP, CONTENT_TOP);
    return box.h;
  }

  private row(text: string, level: number, x: number, y: number, attrs: string): number {
    this.rows.push({ text, level, x, y, attrs });
    this.ask(level, x + 12 + width(text, SMALL) + 12);
    return y + ROW_H + GAP;
  }

  /** Records that an element at `level` reaches `right`. */
  private ask(level: number, right: number): void {
    this.need = Math.max(this.need, right + level * INSET + MARGIN);
  }
}

function textAt(x: number, y: number, cls: string, s: string): string {
  return `<text x="${num(x)}" y="${num(y)}" class="${cls}">${escapeXml(s)}</text>`;
}

/** The legend line at `y`, and how wide it is. */
function legend(y: number): { lines: string[]; width: number } {
  const out: string[] = [];
  let x = MARGIN;
  const badge = (label: string, fill: string, stroke: string, color: string, dash: boolean) => {
    const w = width(label, SMALL) + 14;
    out.push(`<rect x="${x}" y="${y}" width="${w}" height="${BADGE_H}" rx="9" fill="${fill}" stroke="${stroke}"${dash ? ' stroke-dasharray="4 3"' : ''}/>`);
    out.push(`<text x="${x + 7}" y="${y + 13}" class="badge" fill="${color}" style="fill:${color}">${escapeXml(label)}</text>`);
    x += w + 8;
  };
  badge('own service', COLORS.etcd, COLORS.etcd, '#ffffff', false);
  badge('inherited ← provider', '#ffffff', COLORS.etcd, COLORS.etcd, false);
  badge('none running', '#ffffff', COLORS.none, COLORS.none, true);
  x += 10;
  for (const s of APP_SERVICES) {
    out.push(`<path d="M${x} ${y + 9} h28" stroke="${COLORS[s]}" stroke-width="2" fill="none" marker-end="url(#arrow-${s})"/>`);
    out.push(textAt(x + 34, y + 13, 'legend', `${s} (${WHAT[s]})`));
    x += 34 + width(`${s} (${WHAT[s]})`, SMALL) + 14;
  }
  out.push(`<path d="M${x} ${y + 9} h28" stroke="${COLORS.missing}" stroke-width="2" stroke-dasharray="5 3" fill="none" marker-end="url(#arrow-missing)"/>`);
  out.push(textAt(x + 34, y + 13, 'legend', 'provider runs none'));
  return { lines: out, width: x + 34 + width('provider runs none', SMALL) + MARGIN };
}

/**
 * Renders the tenant tree of the topology as a standalone SVG document.
 */
export function renderTopologySvg(topology: Topology | TopologyIndex, options: SvgOptions = {}): string {
  const index = indexOf(topology);
  const visible = selectVisible(index, options);
  const layout = new Layout(index, visible);
  const top = 78;
  const height = top + layout.place(index.root, 0, top) + MARGIN;
  const key = legend(52);
  const W = Math.max(layout.need, key.width);
  const right = (level: number) => W - MARGIN - level * INSET;

  const total = index.size(index.root);
  const title = options.title
    ?? `Cozystack topology · ${index.root.path}${index.version ? ` · ${index.version}` : ''}`;
  const partial = visible.shownTenants < total.tenants || visible.shownApps < total.apps;
  const subtitle = `${plural(total.tenants, 'tenant')}, ${plural(total.apps, 'app')}`
    + (partial ? ` · showing ${visible.shownTenants} tenants and ${visible.shownApps} apps; draw a collapsed subtree with the focus option` : '')
    + (visible.focus !== index.root ? ` · focus ${visible.focus.namespace}` : '');

  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" `
      + 'font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="12" role="img" '
      + `aria-label="${escapeXml(`${title}: ${subtitle}`)}">`,
    `<title>${escapeXml(`${title}: ${subtitle}`)}</title>`,
    '<style>',
    '  text { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; fill: #1f2328; }',
    '  .title { font-size: 16px; font-weight: bold; }',
    '  .sub, .legend, .ns { font-size: 11px; fill: #57606a; }',
    '  .name { font-weight: bold; }',
    '  .host { fill: #0550ae; }',
    '  .kind { fill: #57606a; }',
    '  .badge { font-size: 11px; }',
    '  .apphost { font-size: 11px; fill: #0550ae; }',
    '  .row { font-size: 11px; fill: #57606a; font-style: italic; }',
    '</style>',
    '<defs>',
    ...[...APP_SERVICES, 'missing'].map(s => `<marker id="arrow-${s}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" `
      + `orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="${COLORS[s]}"/></marker>`),
    '</defs>',
    `<rect width="${W}" height="${height}" fill="#ffffff"/>`,
    textAt(MARGIN, 26, 'title', title),
    textAt(MARGIN, 44, 'sub', subtitle),
    ...key.lines,
  ];

  for (const box of layout.tenants) {
    const t = box.tenant;
    const w = right(box.level) - box.x;
    const fill = box.level % 2 === 0 ? '#f6f8fa' : '#ffffff';
    out.push(`<g class="tenant" data-namespace="${escapeXml(t.namespace)}" data-path="${escapeXml(t.path)}" data-depth="${t.depth}">`);
    out.push(`<title>${escapeXml(`Tenant ${t.name} (${t.path}): namespace ${t.namespace}, host ${t.host}`)}</title>`);
    out.push(`<rect x="${num(box.x)}" y="${num(box.y)}" width="${num(w)}" height="${num(box.h)}" rx="6" fill="${fill}" stroke="#8c959f"/>`);
    let x = box.x + 10;
    out.push(textAt(x, box.y + 19, 'name', t.name));
    x += width(`${t.name}  `);
    out.push(textAt(x, box.y + 19, 'ns', t.namespace));
    x += width(`${t.namespace}  `);
    out.push(textAt(x, box.y + 19, 'host', t.host));
    for (const b of box.badges) {
      const color = b.running ? COLORS[b.service] : COLORS.none;
      const fillB = b.own && b.running ? color : '#ffffff';
      const textColor = b.own && b.running ? '#ffffff' : color;
      const dash = b.running ? '' : ' stroke-dasharray="4 3"';
      out.push(`<g class="badge" data-tenant="${escapeXml(t.namespace)}" data-service="${b.service}" data-provider="${escapeXml(b.provider)}" `
        + `data-own="${b.own}" data-running="${b.running}">`);
      out.push(`<title>${escapeXml(`${b.service} of ${t.namespace}: ${b.own ? 'own' : `inherited from ${b.provider}`}`
        + `${b.running ? '' : `, which does not run ${b.service}`}`)}</title>`);
      out.push(`<rect x="${num(b.x)}" y="${num(box.y + BADGE_TOP)}" width="${b.w}" height="${BADGE_H}" rx="9" fill="${fillB}" stroke="${color}"${dash}/>`);
      out.push(`<text x="${num(b.x + 7)}" y="${num(box.y + BADGE_TOP + 13)}" class="badge" fill="${textColor}" style="fill:${textColor}">`
        + `${escapeXml(b.text)}</text>`);
      out.push('</g>');
    }
    out.push('</g>');
  }

  for (const a of layout.apps) {
    const app = a.app;
    const w = right(a.level) - a.x;
    const cred = credentialsOf(app);
    const tip = [`${app.kind} ${app.name} (${app.path})`, app.host ? `endpoint ${app.host}` : '',
      cred ? `Secret ${cred.secret}${cred.key ? ` key ${cred.key}` : ''}` : '']
      .filter(s => s).join('; ');
    out.push(`<g class="app" data-path="${escapeXml(app.path)}" data-namespace="${escapeXml(app.namespace)}" data-kind="${escapeXml(app.kind)}" `
      + `data-name="${escapeXml(app.name)}">`);
    out.push(`<title>${escapeXml(tip)}</title>`);
    out.push(`<rect x="${num(a.x)}" y="${num(a.y)}" width="${num(w)}" height="${APP_H}" rx="4" fill="#ffffff" stroke="#57606a"/>`);
    out.push(textAt(a.x + 12, a.y + 16, 'kind', app.kind));
    out.push(textAt(a.x + 12 + width(`${app.kind} `), a.y + 16, 'name', app.name));
    if (app.host) out.push(textAt(a.x + 12, a.y + 31, 'apphost', app.host));
    out.push('</g>');
  }

  for (const r of layout.rows) {
    const w = right(r.level) - r.x;
    out.push(`<g ${r.attrs}>`);
    out.push(`<rect x="${num(r.x)}" y="${num(r.y)}" width="${num(w)}" height="${ROW_H}" rx="4" fill="#ffffff" stroke="#8c959f" stroke-dasharray="4 3"/>`);
    out.push(textAt(r.x + 12, r.y + 17, 'row', r.text));
    out.push('</g>');
  }

  // Arrows last, so they are drawn over the boxes they leave and enter.
  for (const a of layout.apps) {
    for (const s of APP_SERVICES) {
      const provider = a.app.services[s];
      const target = provider ? layout.boxOf.get(provider) : undefined;
      if (!target) continue;
      const badge = target.badges.find(b => b.service === s)!;
      const running = index.runs(provider, s);
      const y0 = a.y + EXIT[s];
      const lane = target.x + LANE[s];
      const channel = target.y + CHANNEL[s];
      const bx = badge.x + badge.w / 2;
      const d = `M${num(a.x)} ${num(y0)} H${num(lane)} V${num(channel)} H${num(bx)} V${num(target.y + BADGE_TOP + BADGE_H + 1)}`;
      const stroke = running ? COLORS[s] : COLORS.missing;
      out.push(`<path class="arrow" data-from="${escapeXml(a.app.path)}" data-to="${escapeXml(provider)}" data-service="${s}" `
        + `data-own="${provider === a.app.namespace}" data-running="${running}" d="${d}" fill="none" stroke="${stroke}" stroke-width="1.6"`
        + `${running ? '' : ' stroke-dasharray="5 3"'} marker-end="url(#arrow-${running ? s : 'missing'})"/>`);
    }
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}
