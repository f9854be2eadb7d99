/**
 * Backup schedules: which cron flavour reads each chart's schedule, and the check that the
 * value parses in it. The readers are robfig/cron parsers:
 * - `standard`: a Kubernetes CronJob (clickhouse, mariadb: the chart's backup CronJob) or the
 *   Percona operator (mongodb) parses five fields, minute first, or a descriptor (`@daily`,
 *   `@every 1h`); six fields, or anything else, fail the object on the cluster.
 * - `seconds`: CloudNativePG's ScheduledBackup (postgres) parses six fields, seconds first, or a
 *   descriptor; five fields are accepted too but read seconds first as well, so `0 2 * * *` runs
 *   at minute 2 of every hour (warned about at synth), and anything else fails on the cluster.
 */
import { at, defineRules, RuleProblem } from './common';

/** How a schedule is read. @internal */
export type CronFlavour = 'standard' | 'seconds';

/** The backup schedules of the charts and the flavour each is read in (chart, then spec path below `spec`). @internal */
export const CRON_FIELDS: { readonly [chart: string]: { readonly [field: string]: CronFlavour } } = {
  postgres: { 'backup.schedule': 'seconds' },
  clickhouse: { 'backup.schedule': 'standard' },
  mariadb: { 'backup.schedule': 'standard' },
  mongodb: { 'backup.schedule': 'standard' },
};

/** @internal */
export const CRON_RULES = defineRules('cron', {
  schedule: 'a backup schedule parses as the cron its reader takes (five fields for a CronJob or Percona, six seconds-first for CloudNativePG) or a descriptor',
});

const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
/** `@every <Go duration>`, e.g. `@every 1h30m`. */
const EVERY = /^@every\s+((\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+)$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const SECOND: CronField = { name: 'second', min: 0, max: 59 };
const STANDARD: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 6, names: DAYS },
];

/** A value of a field: a number in its range or one of its names; undefined when neither. */
function valueOf(text: string, f: CronField): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= f.min && n <= f.max ? n : undefined;
  }
  const i = f.names?.indexOf(text.toLowerCase()) ?? -1;
  return i < 0 ? undefined : i + (f.names === MONTHS ? 1 : 0);
}

/** Why one field does not parse (robfig/cron's getRange: `*`, `?`, a value or a range, each with an optional `/step`). */
function fieldProblem(text: string, f: CronField): string | undefined {
  for (const part of text.split(',')) {
    const [range, step, extra] = part.split('/');
    if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step))) return `"${part}" is not a valid ${f.name} (a step is /N with N at least 1)`;
    if (range === '*' || range === '?') continue;
    const [from, to, more] = range.split('-');
    const start = valueOf(from, f);
    const end = to === undefined ? start : valueOf(to, f);
    if (more !== undefined || start === undefined || end === undefined || start > end) {
      return `"${part}" is not a valid ${f.name} (${f.min}-${f.max}${f.names ? ` or ${f.names[0].toUpperCase()}-${f.names[f.names.length - 1].toUpperCase()}` : ''})`;
    }
  }
  return undefined;
}

/** What is wrong with a schedule in a flavour; undefined when it parses. @internal */
export function cronProblem(schedule: string, flavour: CronFlavour): string | undefined {
  const s = schedule.trim();
  if (s.startsWith('@')) return DESCRIPTORS.has(s) || EVERY.test(s) ? undefined : `"${s}" is not a descriptor (@yearly, @monthly, @weekly, @daily, @hourly or @every <duration>)`;
  if (/^(CRON_)?TZ=/.test(s)) return 'a time zone prefix (TZ=, CRON_TZ=) is refused in a schedule';
  const fields = s.split(/\s+/);
  const layout = flavour === 'seconds' && fields.length === 6 ? [SECOND, ...STANDARD] : STANDARD;
  const expected = flavour === 'seconds' ? 'six fields (second minute hour day-of-month month day-of-week)' : 'five fields (minute hour day-of-month month day-of-week)';
  if (fields.length !== layout.length && !(flavour === 'seconds' && fields.length === 5)) return `it has ${fields.length} field${fields.length === 1 ? '' : 's'}; expected ${expected}`;
  // Five fields in the seconds flavour are read seconds first, day of week left out.
  const read = flavour === 'seconds' && fields.length === 5 ? [SECOND, ...STANDARD.slice(0, 4)] : layout;
  for (let i = 0; i < fields.length; i++) {
    const why = fieldProblem(fields[i], read[i]);
    if (why) return why;
  }
  return undefined;
}

/** The cron messages. @internal */
export const CRON_MESSAGES = {
  schedule: (chart: string, field: string, schedule: string, why: string, flavour: CronFlavour) =>
    `spec.${field} = "${schedule}" does not parse as a backup schedule: ${why}. The ${chart} chart's schedule is read as `
    + (flavour === 'seconds'
      ? 'a 6-field cron whose first field is seconds (CloudNativePG), e.g. "0 0 2 * * *" for 02:00 every day, or a descriptor such as "@daily".'
      : 'a standard 5-field cron (minute hour day-of-month month day-of-week), e.g. "0 2 * * *" for 02:00 every day, or a descriptor such as "@daily".'),
  secondsFirst: (field: string, schedule: string) => {
    const [second, minute, hour] = schedule.trim().split(/\s+/);
    return `spec.${field} = "${schedule}" has five fields, which CloudNativePG reads seconds first: second ${second}, minute ${minute}, hour ${hour}`
      + ' (e.g. "0 2 * * *" runs at minute 2 of every hour). For a daily backup at 02:00 write "0 0 2 * * *".';
  },
};

/** A chart's schedules that do not parse in their flavour. @internal */
export function cronProblems(chart: string, spec: any): RuleProblem[] {
  const out: RuleProblem[] = [];
  for (const [field, flavour] of Object.entries(CRON_FIELDS[chart] ?? {})) {
    const value = at(spec, field);
    if (typeof value !== 'string' || value.trim() === '') continue; // empty: the charts schedule nothing
    const why = cronProblem(value, flavour);
    if (why) out.push({ rule: CRON_RULES.schedule.id, path: `spec.${field}`, message: CRON_MESSAGES.schedule(chart, field, value, why, flavour) });
  }
  return out;
}

/** The charts with a schedule read seconds first: the only ones `cronWarnings` can warn about. @internal */
export const SECONDS_FIRST_CHARTS: readonly string[] = Object.keys(CRON_FIELDS).filter(c => Object.values(CRON_FIELDS[c]).includes('seconds'));

/** Schedules that parse but do not mean what they look like (five fields read seconds first). @internal */
export function cronWarnings(chart: string, spec: any): string[] {
  const out: string[] = [];
  for (const [field, flavour] of Object.entries(CRON_FIELDS[chart] ?? {})) {
    const value = at(spec, field);
    if (flavour !== 'seconds' || typeof value !== 'string' || value.trim().startsWith('@')) continue;
    if (value.trim().split(/\s+/).length === 5 && cronProblem(value, flavour) === undefined) out.push(CRON_MESSAGES.secondsFirst(field, value));
  }
  return out;
}
