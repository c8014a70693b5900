import { formatters } from '../../src/report';
import { escapeLabelValue } from '../../src/report/prometheus';
import { CTX, sampleReport } from './fixtures';

/** The text exposition format, strictly: comments, then `name{labels} value`. */
const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(${LABEL}(?:,${LABEL})*)\\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$`);

function parse(text: string): { name: string; labels: string; value: number }[] {
  expect(text.endsWith('\n')).toBe(true);
  const samples: { name: string; labels: string; value: number }[] = [];
  const typed = new Map<string, string>();
  const helped = new Set<string>();
  let current = '';
  const finished = new Set<string>();
  for (const line of text.slice(0, -1).split('\n')) {
    const help = /^# HELP (\S+) (.*)$/.exec(line);
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (help) {
      helped.add(help[1]);
      continue;
    }
    if (type) {
      expect(typed.has(type[1])).toBe(false);
      typed.set(type[1], type[2]);
      if (current) finished.add(current);
      current = type[1];
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a valid sample line: ${JSON.stringify(line)}`);
    expect(m[1]).toBe(current); // samples of one metric together, after its TYPE
    expect(finished.has(m[1])).toBe(false);
    expect(helped.has(m[1])).toBe(true);
    samples.push({ name: m[1], labels: m[2] ?? '', value: Number(m[3]) });
  }
  const keys = samples.map((s) => `${s.name}{${s.labels}}`);
  expect(new Set(keys).size).toBe(keys.length); // no duplicate series
  return samples;
}

describe('Prometheus textfile', () => {
  const out = formatters.prometheus.format(sampleReport(), CTX);
  const samples = parse(out);
  const value = (name: string, labels: string): number | undefined => samples.find((s) => s.name === name && s.labels === labels)?.value;

  test('every line parses; HELP/TYPE per metric; no duplicate series', () => {
    expect(samples.length).toBeGreaterThan(20);
  });

  test('findings by host, rule and severity, zeros for evaluated rules, per-rule-cap counts included', () => {
    expect(value('socklint_findings', 'host="db-1",rule="no-public-db",severity="error"')).toBe(3);
    expect(value('socklint_findings', 'host="db-1",rule="telnet-listening",severity="warning"')).toBe(0);
    expect(value('socklint_findings', 'host="web-1.example.com",rule="telnet-listening",severity="warning"')).toBe(4);
    // not evaluated on edge: no series, it is counted apart
    expect(value('socklint_findings', 'host="edge",rule="close-wait-excess",severity="warning"')).toBeUndefined();
    expect(value('socklint_rules_not_evaluated', 'host="edge"')).toBe(1);
  });

  test('rules not evaluated counts distinct rules per host, not (rule, snapshot) pairs', () => {
    const report = sampleReport();
    const edge = report.snapshots.find((s) => s.host === 'edge')!;
    report.snapshots.push({ ...edge, file: 'edge-later.ss' }, { ...edge, file: 'edge-latest.ss' });
    const reason = 'needs TCP internals (ss -i)';
    report.notEvaluated.push(
      { ruleId: 'close-wait-excess', host: 'edge', file: 'edge-later.ss', reason },
      { ruleId: 'close-wait-excess', host: 'edge', file: 'edge-latest.ss', reason },
      { ruleId: 'process-unknown', host: 'edge', file: 'edge-latest.ss', reason },
    );
    const got = parse(formatters.prometheus.format(report, CTX)).filter((s) => s.name === 'socklint_rules_not_evaluated');
    expect(got.find((s) => s.labels === 'host="edge"')?.value).toBe(2);
    expect(got.find((s) => s.labels === 'host="db-1"')?.value).toBe(0);
  });

  test('suppressed, sockets by state, unparsed lines, snapshots, scan time and duration', () => {
    expect(value('socklint_findings_suppressed', 'host="web-1.example.com",rule="no-public-db",kind="waiver"')).toBe(1);
    expect(value('socklint_sockets', 'host="bastion",state="UNCONN"')).toBe(3);
    expect(value('socklint_unparsed_lines', 'host="db-1"')).toBe(2);
    expect(value('socklint_snapshots_scanned', 'host="edge"')).toBe(1);
    expect(value('socklint_scan_timestamp_seconds', '')).toBe(Date.parse('2026-11-25T18:30:00Z') / 1000);
    expect(value('socklint_scan_duration_seconds', '')).toBe(1.234);
    expect(out).toContain('# TYPE socklint_findings gauge');
  });

  test('label values are escaped per the exposition format', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const report = sampleReport();
    report.snapshots[0].host = 'we"ird\\host\nname';
    for (const f of report.findings) if (f.host === 'web-1.example.com') f.host = report.snapshots[0].host;
    const text = formatters.prometheus.format(report, CTX);
    parse(text);
    expect(text).toContain('host="we\\"ird\\\\host\\nname"');
  });
});

describe('Prometheus: one host, two label sets, two levels of a rule', () => {
  /** db-1 captured twice: as it is, and labelled role=db, where a hosts: entry gives telnet-listening note. */
  function twoLabelSets(labelledFirst: boolean) {
    const report = sampleReport();
    const plain = report.snapshots.find((s) => s.host === 'db-1')!;
    const labelled = { ...plain, file: 'snapshots/db-1.role-db.ss', labels: { role: 'db' }, levels: { 'telnet-listening': 'note' as const } };
    report.snapshots.splice(report.snapshots.indexOf(plain) + (labelledFirst ? 0 : 1), 0, labelled);
    return report;
  }
  const telnet = (text: string) =>
    parse(text).filter((s) => s.name === 'socklint_findings' && s.labels.startsWith('host="db-1",rule="telnet-listening",')).map((s) => [s.labels.replace(/.*severity=/, ''), s.value]);

  test.each([false, true])('each snapshot\'s zero series carries its own level, whichever comes first (labelled first: %s)', (labelledFirst) => {
    expect(telnet(formatters.prometheus.format(twoLabelSets(labelledFirst), CTX)).sort()).toEqual([['"note"', 0], ['"warning"', 0]]);
  });

  test('findings counted but not listed take their own snapshot\'s level', () => {
    const report = twoLabelSets(true);
    report.omitted.push(
      { ruleId: 'telnet-listening', host: 'db-1', file: 'snapshots/db-1.ss', count: 2 },
      { ruleId: 'telnet-listening', host: 'db-1', file: 'snapshots/db-1.role-db.ss', count: 5 },
    );
    expect(telnet(formatters.prometheus.format(report, CTX)).sort()).toEqual([['"note"', 5], ['"warning"', 2]]);
  });
});

describe('Prometheus: waivers in force', () => {
  const report = sampleReport();
  report.waiversInForce = [
    { ruleId: 'no-public-db', reason: 'firewalled', expires: '2026-12-10', owner: 'team "db"', ticket: 'DB-7', location: { file: 'conf/socklint.yaml', line: 12 }, waived: 1 },
    { ruleId: 'telnet-*', host: 'lab-*', reason: 'lab', expires: '2099-01-01', location: { file: 'conf/socklint.yaml', line: 20 }, waived: 0 },
  ];
  const samples = parse(formatters.prometheus.format(report, CTX));
  const of = (name: string) => samples.filter((s) => s.name === name).map((s) => [s.labels, s.value]);

  test('each one\'s expiry (the start of the day after its last day, UTC) and the findings it waived, by where it is written', () => {
    const first = 'rule="no-public-db",file="conf/socklint.yaml",line="12",owner="team \\"db\\"",ticket="DB-7"';
    const second = 'rule="telnet-*",host_glob="lab-*",file="conf/socklint.yaml",line="20"';
    expect(of('socklint_waiver_expiry_timestamp_seconds')).toEqual([[first, Date.parse('2026-12-11T00:00:00Z') / 1000], [second, Date.parse('2099-01-02T00:00:00Z') / 1000]]);
    expect(of('socklint_waiver_findings_waived')).toEqual([[first, 1], [second, 0]]);
  });

  test('no such series without waivers in force', () => {
    const text = formatters.prometheus.format(sampleReport(), CTX);
    expect(text).not.toContain('socklint_waiver_expiry_timestamp_seconds');
    expect(text).not.toContain('socklint_waiver_findings_waived');
  });
});
