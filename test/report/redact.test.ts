import { formatters } from '../../src/report';
import { redactReport, redactionTag } from '../../src/report/redact';
import { UserError } from '../../src/diagnostics';
import { CTX, HOSTILE_PROCESS, PEER_ADDRESSES, sampleReport } from './fixtures';

const ALL = Object.values(formatters);

describe('--redact', () => {
  test('peer addresses disappear from every output; fingerprints stay', () => {
    const report = sampleReport();
    const fingerprints = report.findings.map((f) => f.fingerprint);
    for (const formatter of ALL) {
      const out = formatter.format(report, { ...CTX, redact: {} });
      for (const peer of PEER_ADDRESSES) expect({ format: formatter.name, leaked: out.includes(peer) }).toEqual({ format: formatter.name, leaked: false });
      if (formatter.name === 'json' || formatter.name === 'sarif') {
        for (const fp of fingerprints) expect(out).toContain(fp);
      }
    }
    // the input is not modified
    expect(report.findings[2].socket!.peer.address).toBe(PEER_ADDRESSES[0]);
  });

  test('masked values are stable tags, equal values equal tags; wildcards stay', () => {
    const r = redactReport(sampleReport());
    const tag = redactionTag(PEER_ADDRESSES[0]);
    expect(tag).toMatch(/^redacted-[0-9a-f]{8}$/);
    expect(r.findings[2].socket!.peer.address).toBe(tag);
    expect(r.findings[2].message).toBe(`mysqld talks to ${tag} from outside the allowed networks`);
    expect(r.findings[5].offenders![0].summary).toBe(`tcp CLOSE-WAIT 10.0.0.1:8080 -> ${tag}:51234 java[900]`);
    expect(r.findings[5].offenders![1].summary).toBe(`tcp CLOSE-WAIT 10.0.0.1:8080 -> [${redactionTag(PEER_ADDRESSES[1])}]:40000 java[900]`);
    expect(r.findings[0].socket!.peer.address).toBe('0.0.0.0');
    expect(r.findings[0].socket!.local.address).toBe('0.0.0.0');
    expect(redactionTag('x', 'salt-a')).not.toBe(redactionTag('x', 'salt-b'));
  });

  test('fields a user names: local.address, processes.name (across arrays), ports keep their type', () => {
    const r = redactReport(sampleReport(), { fields: ['local.address', 'processes.name', 'peer.port'] });
    const estab = r.findings[2].socket!;
    expect(estab.local.address).toBe(redactionTag('10.0.0.5'));
    expect(estab.processes![0].name).toBe(redactionTag('mysqld'));
    expect(estab.peer.port).toBeNull();
    expect(estab.peer.portName).toBe(redactionTag('51234'));
    expect(estab.peer.address).toBe(PEER_ADDRESSES[0]); // not named this time
    expect(r.findings[0].message).toBe(`${redactionTag('mysqld')} listens on 0.0.0.0:3306 (all IPv4 addresses)`);
    expect(r.findings[1].socket!.processes![0].name).toBe(redactionTag(HOSTILE_PROCESS));
    // aggregate groups keyed by a redacted field
    expect(r.findings[5].group!.process).toBe(redactionTag('java'));
    expect(r.findings[5].offenders![0].summary).toContain(`${redactionTag('java')}[900]`);
    const text = formatters.text.format(sampleReport(), { ...CTX, redact: { fields: ['processes.name'] } });
    expect(text).not.toMatch(/mysqld|in\.telnetd|java\[|mongod/);
  });

  test('an unknown field is a usage error with a suggestion', () => {
    expect(() => redactReport(sampleReport(), { fields: ['peer.address', 'proceses.name'] })).toThrow(UserError);
    try {
      redactReport(sampleReport(), { fields: ['proceses.name'] });
    } catch (e) {
      expect((e as UserError).exitCode).toBe(2);
      expect((e as UserError).message).toContain("did you mean 'processes'?");
    }
    expect(() => redactReport(sampleReport(), { fields: ['location.file'] })).toThrow(/unknown socket field 'location.file'/);
  });
});

test('redaction is idempotent: preparing a redacted report again (as the CLI and the formatters both do) changes nothing', () => {
  const once = redactReport(sampleReport(), { fields: ['peer.address', 'processes.name', 'local.port'] });
  const twice = redactReport(once, { fields: ['peer.address', 'processes.name', 'local.port'] });
  expect(twice).toEqual(once);
  const ctx = { ...CTX, redact: {} };
  const prepared = redactReport(sampleReport());
  for (const formatter of ALL) {
    expect(formatter.format(prepared, ctx)).toBe(formatter.format(sampleReport(), ctx));
  }
});
