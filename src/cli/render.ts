/**
 * The three faces of a plan: text for a terminal or CI log, Markdown for a pull
 * request comment, JSON for other tools.
 */
import { LiveEntry, LivePlan } from './live';
import { changedClusters, ClusterPlan, Destruction, FieldChange, Plan } from './plan';

export type PlanFormat = 'text' | 'json' | 'markdown';
export const PLAN_FORMATS: PlanFormat[] = ['text', 'json', 'markdown'];

/** A marker a workflow can find to update its earlier plan comment instead of adding one. */
export const MARKDOWN_MARKER = '<!-- cdk8s-cozystack-plan -->';

const SIGN = { create: '+', update: '~', delete: '-' } as const;

function value(v: unknown): string {
  return v === undefined ? '(absent)' : JSON.stringify(v);
}

function fieldLine(f: FieldChange): string {
  if (f.before === undefined) return `${f.path}: + ${value(f.after)}`;
  if (f.after === undefined) return `${f.path}: - ${value(f.before)}`;
  return `${f.path}: ${value(f.before)} -> ${value(f.after)}`;
}

function summaryLine(plan: Plan): string {
  const s = plan.summary;
  const parts = [`${s.create} to create`, `${s.update} to update`, `${s.delete} to delete`, `${s.unchanged} unchanged`];
  let line = parts.join(', ');
  if (plan.clusters.length > 0) {
    const c = s.clusters;
    line += `; in tenant clusters: ${c.create} to create, ${c.update} to update, ${c.delete} to delete, ${c.unchanged} unchanged`;
  }
  if (s.destructive > 0) line += `; ${s.destructive} destructive (${s.notAllowed} not allowed)`;
  return line;
}

/** "cluster tenant-foo/cluster1: 1 to create, ..." or what happens to its whole bundle. */
function clusterHeadline(c: ClusterPlan): string {
  const n = (a: string) => c.changes.filter(x => x.action === a).length;
  const counts = `${n('create')} to create, ${n('update')} to update, ${n('delete')} to delete, ${c.unchanged} unchanged`;
  switch (c.status) {
    case 'bundle-removed': return `cluster ${c.id}: bundle removed while its Kubernetes object stays; ${counts}`;
    case 'cluster-deleted': return `cluster ${c.id}: deleted with its Kubernetes object; its ${c.changes.length} object${c.changes.length === 1 ? '' : 's'} go with it`;
    case 'new': return `cluster ${c.id} (new bundle ${c.files.join(', ')}): ${counts}`;
    default: return `cluster ${c.id} (${c.files.join(', ')}): ${counts}`;
  }
}

function objectName(c: { namespace: string; name: string }): string {
  return c.namespace ? `${c.namespace}/${c.name}` : c.name;
}

function allowHint(d: Destruction): string {
  return `--allow-destroy ${d.key}`;
}

export function renderPlan(plan: Plan, format: PlanFormat): string {
  switch (format) {
    case 'json': return JSON.stringify(plan, null, 2) + '\n';
    case 'markdown': return renderMarkdown(plan);
    default: return renderText(plan);
  }
}

export function renderText(plan: Plan): string {
  const out: string[] = [];
  out.push(`Plan: ${plan.bundle} against ${plan.from}`);
  const clusters = changedClusters(plan);
  if (plan.waves.length === 0) out.push(clusters.length === 0 ? 'No changes.' : 'No changes on the management cluster.');
  for (const w of plan.waves) {
    out.push('', `Wave ${w.wave}${w.file ? ` (${w.file})` : ''}:`);
    for (const c of w.changes) {
      out.push(`  ${SIGN[c.action]} ${c.action} ${c.kind} ${c.namespace}/${c.name}${markFor(plan, c)}`);
      for (const f of c.fields) out.push(`      ${fieldLine(f)}`);
    }
  }
  if (clusters.length > 0) out.push('', 'Tenant clusters (applied through each cluster\'s own API once it is Ready):');
  for (const cl of clusters) {
    out.push(`  ${clusterHeadline(cl)}`);
    if (cl.status === 'cluster-deleted') continue;
    for (const c of cl.changes) {
      out.push(`    ${SIGN[c.action]} ${c.action} ${c.kind} ${objectName(c)}${markFor(plan, c)}`);
      for (const f of c.fields) out.push(`        ${fieldLine(f)}`);
    }
  }
  out.push(...renderDestructionsText(plan.destructive));
  if (plan.notes.length > 0) {
    out.push('', 'Notes:');
    for (const n of plan.notes) out.push(`  - ${n}`);
  }
  out.push('', `Summary: ${summaryLine(plan)}.`);
  if (plan.summary.notAllowed > 0) {
    out.push('Destructive changes are not allowed: nothing will be applied. Allow each one you mean with --allow-destroy kind/namespace/name'
      + ' (kind/namespace/name@<tenant namespace>/<cluster> inside a tenant cluster).');
  }
  return out.join('\n') + '\n';
}

/** The destructive changes as text lines (also used by `apply` when it refuses). */
export function renderDestructionsText(list: Destruction[]): string[] {
  if (list.length === 0) return [];
  const out = ['', `Destructive changes (${list.length}):`];
  for (const d of list) {
    out.push(`  ${d.allowed ? 'ALLOWED    ' : 'NOT ALLOWED'} ${d.key}: ${d.summary}`);
    for (const item of d.destroys) out.push(`        - ${item}`);
    if (!d.allowed) out.push(`      to allow: ${allowHint(d)}${d.coveredBy ? ` (or ${d.coveredBy})` : ''}`);
  }
  return out;
}

/** Whether each key's destructive changes are all allowed, per plan: built once, so marking every change costs a lookup. */
const allowedByKey = new WeakMap<Plan, Map<string, boolean>>();

function markFor(plan: Plan, c: { key: string }): string {
  let byKey = allowedByKey.get(plan);
  if (!byKey) {
    byKey = new Map();
    for (const d of plan.destructive) byKey.set(d.key, (byKey.get(d.key) ?? true) && d.allowed);
    allowedByKey.set(plan, byKey);
  }
  const allowed = byKey.get(c.key);
  if (allowed === undefined) return '';
  return allowed ? '  [destructive, allowed]' : '  [DESTRUCTIVE, NOT ALLOWED]';
}

function md(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function code(s: string): string {
  return '`' + s.replace(/`/g, "'") + '`';
}

export function renderMarkdown(plan: Plan): string {
  const s = plan.summary;
  const out: string[] = [MARKDOWN_MARKER];
  const status = s.notAllowed > 0 ? ':no_entry: destructive changes not allowed' : s.destructive > 0 ? ':warning: destructive changes, all allowed' : ':white_check_mark: safe';
  out.push(`### cdk8s-cozystack plan: ${status}`, '');
  out.push('| create | update | delete | unchanged | destructive | not allowed |', '|---:|---:|---:|---:|---:|---:|');
  out.push(`| ${s.create} | ${s.update} | ${s.delete} | ${s.unchanged} | ${s.destructive} | ${s.notAllowed} |`, '');
  if (plan.clusters.length > 0) {
    const c = s.clusters;
    out.push(`In tenant clusters: ${c.create} to create, ${c.update} to update, ${c.delete} to delete, ${c.unchanged} unchanged.`, '');
  }

  if (plan.destructive.length > 0) {
    out.push('#### Destructive changes', '');
    for (const d of plan.destructive) {
      out.push(`- ${d.allowed ? ':warning: allowed' : ':no_entry: **not allowed**'} ${code(d.key)}: ${md(d.summary)}`);
      for (const item of d.destroys) out.push(`  - ${md(item)}`);
      if (!d.allowed) out.push(`  - to allow: ${code(allowHint(d))}${d.coveredBy ? ` (or ${code(`--allow-destroy ${d.coveredBy}`)})` : ''}`);
    }
    out.push('');
  }

  const clusters = changedClusters(plan);
  if (plan.waves.length === 0) out.push(clusters.length === 0 ? 'No changes.' : 'No changes on the management cluster.', '');
  const table = (changes: { action: 'create' | 'update' | 'delete'; key: string; kind: string; namespace: string; name: string; fields: FieldChange[] }[]) => {
    out.push('| | kind | namespace | name | changes |', '|---|---|---|---|---|');
    for (const c of changes) {
      const fields = c.fields.map(f => code(fieldLine(f))).join('<br>');
      out.push(`| ${SIGN[c.action]} ${c.action}${markFor(plan, c) ? ' :warning:' : ''} | ${md(c.kind)} | ${md(c.namespace)} | ${md(c.name)} | ${fields.replace(/\|/g, '\\|')} |`);
    }
    out.push('');
  };
  for (const w of plan.waves) {
    out.push(`#### Wave ${w.wave}${w.file ? ` (${code(w.file)})` : ''}`, '');
    table(w.changes);
  }
  for (const cl of clusters) {
    out.push(`#### Tenant ${md(clusterHeadline(cl)).replace(`cluster ${cl.id}`, `cluster ${code(cl.id)}`)}`, '');
    if (cl.status !== 'cluster-deleted') table(cl.changes);
  }
  if (plan.notes.length > 0) {
    out.push('<details><summary>Notes</summary>', '');
    for (const n of plan.notes) out.push(`- ${md(n)}`);
    out.push('', '</details>', '');
  }
  out.push(`<sub>${md(plan.bundle)} against ${md(plan.from)}</sub>`);
  return out.join('\n') + '\n';
}

/**
 * `plan --live` as Markdown (for a pull-request comment beside the plan): per wave and tenant
 * cluster, what would be created or updated against the live cluster, the changed fields of each.
 */
export function renderLivePlanMarkdown(p: LivePlan): string {
  const s = p.summary;
  const out = ['### Against the live cluster (read only, nothing written)', ''];
  out.push('| create | update | unchanged |', '|---:|---:|---:|', `| ${s.create} | ${s.update} | ${s.unchanged} |`, '');
  const table = (objects: readonly LiveEntry[]) => {
    const changed = objects.filter(e => e.action !== 'unchanged');
    const unchanged = objects.length - changed.length;
    if (changed.length === 0) {
      out.push(`No changes (${unchanged} unchanged).`, '');
      return;
    }
    out.push('| | object | changes |', '|---|---|---|');
    for (const e of changed) {
      const fields = e.fields.map(f => code(fieldLine(f))).join('<br>');
      out.push(`| ${e.action === 'create' ? '+ create' : '~ update'} | ${md(e.shown)} | ${fields.replace(/\|/g, '\\|')} |`);
    }
    out.push('', `${unchanged} unchanged.`, '');
  };
  for (const w of p.waves) {
    out.push(`#### Wave ${w.wave} (${code(w.file)})`, '');
    table(w.objects);
  }
  for (const c of p.clusters) {
    out.push(`#### Tenant cluster ${code(c.id)}`, '');
    if (c.notChecked) out.push(`Not read: ${md(c.notChecked)}.`, '');
    else table(c.objects);
  }
  return `${out.join('\n')}\n`;
}
