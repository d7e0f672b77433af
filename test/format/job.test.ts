import { describe, expect, it } from 'vitest';
import { expectOnlyErrors, validateFiles, yaml } from './harness.js';

// FORMAT.md, "Job": the example and its runner alternatives, schedules (cron with 5, 6 or 7
// fields, nicknames, @every) and timezones checked with their line, and the names a job uses.

const FORMAT_EXAMPLE = yaml(
  'kind: Job',
  'name: db-backup',
  'schedule: "15 2 * * *"       # cron with 5, 6 (seconds) or 7 (year) fields, @hourly/@daily/..., or "@every 90s"',
  'timezone: Europe/Berlin      # IANA name; default UTC',
  'container: {image: postgres:16, command: ["sh", "-c", "pg_dump ..."], networks: [backend], volumes: ["backups:/backups"]}',
  '# or: shell: {command: "...", env: {}} | http: {url, method, headers, body} | exec: {app: api, command: [...]}',
  'timeout: 45m                 # default 1h',
  'retries: 2                   # default 0',
  'concurrency: forbid          # forbid (default) | allow | replace',
  'notify: [dba-mail]',
  'then: [backup-verify]        # jobs to run after a success',
  'suspend: false',
);
const DBA_MAIL = yaml(
  'kind: Notification',
  'name: dba-mail',
  'email: {smtp: {host: smtp.example.com, port: 587}, from: ploy@example.com, to: [dba@example.com]}',
);
const VERIFY = yaml('kind: Job', 'name: backup-verify', 'schedule: "@weekly"', 'shell: {command: "ls /backups"}');

const job = (name: string, schedule: string, ...more: string[]) =>
  yaml('kind: Job', `name: ${name}`, `schedule: "${schedule}"`, ...(more.length ? more : ['shell: {command: "true"}']));

describe('the Job of FORMAT.md', () => {
  it('is valid, with its notification and follow-up job declared', async () => {
    expect(await validateFiles({ 'backup.yaml': FORMAT_EXAMPLE, 'mail.yaml': DBA_MAIL, 'verify.yaml': VERIFY })).toEqual([]);
  });

  it('has valid alternatives for every runner', async () => {
    const ds = await validateFiles({
      'api.yaml': yaml('kind: App', 'name: api', 'image: acme/api:1'),
      'jobs.yaml': [
        job('shell', '@daily', 'shell: {command: "echo ${HOME}", env: {A: "1"}}'),
        job('http', '@hourly', 'http: {url: "https://example.com/hook", method: POST, headers: {X-Token: abc}, body: "{}"}'),
        job('exec', '*/5 * * * *', 'exec: {app: api, command: ["php", "artisan", "schedule:run"]}'),
        job('concurrent', '@daily', 'shell: {command: "true"}', 'concurrency: replace'),
      ].join('---\n'),
    });
    expect(ds).toEqual([]);
  });

  it('refuses an unknown concurrency policy', async () => {
    const ds = await validateFiles({
      'j.yaml': job('j', '@daily', 'shell: {command: "true"}', 'concurrency: skip'),
    });
    expectOnlyErrors(ds, [
      {
        code: 'invalid-field',
        file: 'j.yaml',
        line: 5,
        words: ['concurrency', '"skip"', '"forbid", "allow", "replace"'],
      },
    ]);
  });
});

describe('schedule', () => {
  it('accepts cron with 5, 6 (seconds first) and 7 (year last) fields', async () => {
    const ds = await validateFiles({
      'j.yaml': [
        job('five', '15 2 * * *'),
        job('six', '30 15 2 * * *'),
        job('seven', '0 15 2 * * * 2099'),
        job('names', '0 9 * JAN-MAR MON-FRI'),
      ].join('---\n'),
    });
    expect(ds).toEqual([]);
  });

  it('accepts the nicknames @yearly, @monthly, @weekly, @daily and @hourly', async () => {
    const nicknames = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
    const ds = await validateFiles({ 'j.yaml': nicknames.map((n, i) => job(`j${i}`, n)).join('---\n') });
    expect(ds).toEqual([]);
  });

  it('accepts @every with a duration', async () => {
    const ds = await validateFiles({
      'j.yaml': ['@every 90s', '@every 5m', '@every 6h', '@every 2d'].map((s, i) => job(`j${i}`, s)).join('---\n'),
    });
    expect(ds).toEqual([]);
  });

  it('refuses invalid cron at the schedule line, saying why and what is accepted', async () => {
    const cases: [string, string][] = [
      ['61 * * * *', 'minute'],
      ['0 25 * * *', 'hour'],
      ['* * *', 'five, six, or seven'],
      ['* * * * * * * *', 'five, six, or seven'],
      ['every day', 'not valid cron'],
    ];
    for (const [schedule, why] of cases) {
      const ds = await validateFiles({
        'j.yaml': yaml('# nightly', ...job('j', schedule).trimEnd().split('\n')),
      });
      expectOnlyErrors(ds, [{ code: 'invalid-schedule', file: 'j.yaml', line: 4, words: [`"${schedule}"`, why, '@every 90s'] }]);
    }
  });

  it('refuses @every without a valid duration at the schedule line', async () => {
    for (const schedule of ['@every', '@every 90', '@every soon', '@every 1h30m', '@every 500ms']) {
      const ds = await validateFiles({ 'j.yaml': job('j', schedule) });
      expectOnlyErrors(ds, [
        {
          code: 'invalid-schedule',
          file: 'j.yaml',
          line: 3,
          words: [`"${schedule}"`, 'not a valid interval', '@every 90s'],
        },
      ]);
    }
  });

  it('refuses an unknown nickname, listing the known ones', async () => {
    const ds = await validateFiles({ 'j.yaml': job('j', '@fortnightly') });
    expectOnlyErrors(ds, [
      {
        code: 'invalid-schedule',
        file: 'j.yaml',
        line: 3,
        words: ['"@fortnightly"', '@daily', '@hourly', '@every'],
      },
    ]);
  });

  it('refuses a time of day or a date in place of a schedule', async () => {
    for (const schedule of ['12:00', '2030-01-01T00:00:00']) {
      const ds = await validateFiles({ 'j.yaml': job('j', schedule) });
      expectOnlyErrors(ds, [{ code: 'invalid-schedule', file: 'j.yaml', line: 3, words: [`"${schedule}"`, 'not valid cron'] }]);
    }
  });

  it('refuses a schedule that never runs', async () => {
    const ds = await validateFiles({ 'j.yaml': job('j', '0 0 30 2 *') });
    expectOnlyErrors(ds, [{ code: 'invalid-schedule', file: 'j.yaml', line: 3, words: ['"0 0 30 2 *"', 'never runs'] }]);
  });

  it('refuses a schedule that is not a string', async () => {
    const ds = await validateFiles({
      'j.yaml': yaml('kind: Job', 'name: j', 'schedule: 5', 'shell: {command: "true"}'),
    });
    expectOnlyErrors(ds, [{ code: 'invalid-field', file: 'j.yaml', line: 3, words: ['schedule', 'string'] }]);
  });
});

describe('timezone', () => {
  it('accepts IANA names and UTC', async () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'];
    const ds = await validateFiles({
      'j.yaml': zones.map((z, i) => job(`j${i}`, '15 2 * * *', 'shell: {command: "true"}', `timezone: ${z}`)).join('---\n'),
    });
    expect(ds).toEqual([]);
  });

  it('refuses an unknown timezone at its line, which croner alone would accept', async () => {
    for (const tz of ['Europe/Berln', 'Mars/Olympus', 'CEST+2']) {
      const ds = await validateFiles({
        'j.yaml': job('j', '15 2 * * *', 'shell: {command: "true"}', 'retries: 1', `timezone: ${tz}`),
      });
      expectOnlyErrors(ds, [{ code: 'invalid-timezone', file: 'j.yaml', line: 6, words: [`"${tz}"`, 'IANA', 'Europe/Berlin'] }]);
    }
  });

  it('reports a bad schedule and a bad timezone together, each at its own line', async () => {
    const ds = await validateFiles({
      'j.yaml': job('j', '99 * * * *', 'timezone: Nowhere/City', 'shell: {command: "true"}'),
    });
    expectOnlyErrors(ds, [
      { code: 'invalid-schedule', file: 'j.yaml', line: 3, words: ['"99 * * * *"'] },
      { code: 'invalid-timezone', file: 'j.yaml', line: 4, words: ['"Nowhere/City"'] },
    ]);
  });
});

describe('runners and references', () => {
  it('needs exactly one runner', async () => {
    const ds = await validateFiles({
      'j.yaml': job('j', '@daily', 'shell: {command: "true"}', 'exec: {app: api, command: [ls]}'),
    });
    expectOnlyErrors(ds, [
      {
        code: 'invalid-field',
        file: 'j.yaml',
        line: 5,
        words: ['Job j', 'both shell and exec', 'exactly one runner'],
      },
    ]);
  });

  it('refuses a then entry naming no Job, at the entry', async () => {
    const ds = await validateFiles({ 'j.yaml': FORMAT_EXAMPLE, 'mail.yaml': DBA_MAIL });
    expectOnlyErrors(ds, [
      {
        code: 'unknown-reference',
        file: 'j.yaml',
        line: 11,
        words: ['Job db-backup', 'Job "backup-verify"', 'not declared'],
      },
    ]);
  });

  it('refuses then entries that form a cycle, naming it', async () => {
    const ds = await validateFiles({
      'j.yaml': [
        job('a', '@daily', 'shell: {command: "true"}', 'then: [b]'),
        job('b', '@daily', 'shell: {command: "true"}', 'then: [a]'),
      ].join('---\n'),
    });
    expectOnlyErrors(ds, [{ code: 'dependency-cycle', file: 'j.yaml', line: 5, words: ['Job a → Job b → Job a'] }]);
  });

  it('refuses an exec runner in an app that is not declared, at exec.app', async () => {
    const ds = await validateFiles({
      'j.yaml': job('j', '@daily', 'exec:', '  app: api', '  command: [php, artisan, schedule:run]'),
    });
    expectOnlyErrors(ds, [{ code: 'unknown-reference', file: 'j.yaml', line: 5, words: ['Job j', 'App "api"', 'not declared'] }]);
  });

  it('refuses a notify entry naming no Notification', async () => {
    const ds = await validateFiles({
      'j.yaml': job('j', '@daily', 'shell: {command: "true"}', 'notify: [dba-mail]'),
    });
    expectOnlyErrors(ds, [{ code: 'unknown-reference', file: 'j.yaml', line: 5, words: ['Notification "dba-mail"'] }]);
  });
});
