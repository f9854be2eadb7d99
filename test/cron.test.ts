/**
 * Backup schedules are checked in the cron flavour their reader takes (src/domain/rules/cron.ts):
 * a schedule that does not parse is refused at synth, a Postgres schedule of five fields (read
 * seconds first by CloudNativePG) is warned about with what it means.
 */
import { ClickHouse, MariaDB, MongoDB, Postgres, RootTenant, Tenant } from '../src';
import { synthProblems, tempApp } from './support/synth';
import { FIELD_NOTES } from '../scripts/field-docs';
import { CRON_FIELDS, cronProblem } from '../src/domain/rules/cron';

function tenant() {
  const app = tempApp();
  const root = new RootTenant(app, 'platform', { host: 'example.org' });
  return { app, root, t: new Tenant(root, 't') };
}

describe('the parser', () => {
  test.each<[string, 'standard' | 'seconds', boolean]>([
    ['0 2 * * *', 'standard', true],
    ['*/15 0-6,22-23 * JAN-mar mon-FRI', 'standard', true],
    ['0 2 ? * 0', 'standard', true],
    ['@daily', 'standard', true],
    ['@every 1h30m', 'seconds', true],
    ['0 0 2 * * *', 'seconds', true],
    ['0 2 * * *', 'seconds', true], // parses (seconds first): warned about, not refused
    ['0 0 2 * * *', 'standard', false],
    ['every night', 'standard', false],
    ['every night', 'seconds', false],
    ['60 2 * * *', 'standard', false],
    ['0 24 * * *', 'standard', false],
    ['0 2 0 * *', 'standard', false],
    ['0 2 * 13 *', 'standard', false],
    ['0 2 * * 7', 'standard', false],
    ['5-1 2 * * *', 'standard', false],
    ['*/0 2 * * *', 'standard', false],
    ['0 2 * * * *', 'standard', false],
    ['@nightly', 'standard', false],
    ['TZ=UTC 0 2 * * *', 'standard', false],
    ['0 0 0 2 * * *', 'seconds', false],
  ])('%s (%s): parses %s', (schedule, flavour, parses) => {
    expect(cronProblem(schedule, flavour) === undefined).toBe(parses);
  });
});

// rule: cron/schedule
test('a schedule that does not parse is refused for each chart with backups, naming the field, the value and the form to write', () => {
  const { app, t } = tenant();
  new Postgres(t, 'pg', { backup: { enabled: true, schedule: 'every night' } } as any);
  new MariaDB(t, 'maria', { backup: { schedule: '0 0 2 * * *' } } as any);
  new ClickHouse(t, 'click', { backup: { schedule: '0 25 * * *' } } as any);
  new MongoDB(t, 'mongo', { backup: { schedule: '@nightly' } } as any);
  const problems = synthProblems(app).filter(p => p.message.includes('backup schedule'));
  expect(problems.map(p => p.path).sort()).toEqual(['platform/t/click', 'platform/t/maria', 'platform/t/mongo', 'platform/t/pg']);
  const of = (path: string) => problems.find(p => p.path === path)!.message;
  expect(of('platform/t/pg')).toContain('spec.backup.schedule = "every night" does not parse as a backup schedule');
  expect(of('platform/t/pg')).toContain('"0 0 2 * * *" for 02:00 every day');
  expect(of('platform/t/maria')).toContain('it has 6 fields; expected five fields');
  expect(of('platform/t/click')).toContain('"25" is not a valid hour (0-23)');
  expect(of('platform/t/mongo')).toContain('"@nightly" is not a descriptor');
});

test('a Postgres schedule of five fields is warned about with what CloudNativePG reads in it; the charts\' defaults and six fields are not', () => {
  const { app, root, t } = tenant();
  new Postgres(t, 'hourly', { backup: { enabled: true, schedule: '0 2 * * *' } } as any);
  new Postgres(t, 'daily', { backup: { enabled: true, schedule: '0 0 2 * * *' } } as any);
  new MariaDB(t, 'maria');
  new MongoDB(t, 'mongo');
  expect(synthProblems(app)).toEqual([]);
  const warnings = root.synthBundle().warnings.filter(w => w.includes('backup.schedule'));
  expect(warnings).toEqual([
    '[platform/t/hourly] spec.backup.schedule = "0 2 * * *" has five fields, which CloudNativePG reads seconds first: second 0, minute 2, hour *'
      + ' (e.g. "0 2 * * *" runs at minute 2 of every hour). For a daily backup at 02:00 write "0 0 2 * * *".',
  ]);
});

test('the field docs describe each schedule in the flavour the rule reads it in', () => {
  for (const [chart, fields] of Object.entries(CRON_FIELDS)) {
    for (const [field, flavour] of Object.entries(fields)) {
      const summary = FIELD_NOTES[`${chart}:${field}`]?.summary ?? '';
      expect(summary).toContain(flavour === 'seconds' ? '6-field cron expression whose first field is seconds' : 'standard 5-field cron expression');
    }
  }
});
