/** The namespace scenario helper itself: the standard scenario builds what the issue describes. */
import { createScenario, netnsUnavailableReason, Scenario, STANDARD_SCENARIO } from '../helpers/netns';

const unavailable = netnsUnavailableReason();
const describeNetns = unavailable ? describe.skip : describe;
if (unavailable) console.warn(`namespace tests skipped: ${unavailable}`);

/** rows of `ss -tuaxn...` without the header, as whitespace-split tokens */
function rows(text: string): string[][] {
  return text.split('\n').slice(1).filter((l) => l.trim() !== '' && !l.startsWith('\t')).map((l) => l.trim().split(/\s+/));
}

describeNetns('standard namespace scenario', () => {
  let sc: Scenario;
  let tan: string[][];
  let tanpo: string;
  let started: number;
  let setupMs: number;
  beforeAll(async () => {
    started = Date.now();
    sc = await createScenario(STANDARD_SCENARIO);
    setupMs = Date.now() - started;
    tan = rows(await sc.ss(['-tan']));
    tanpo = await sc.ss(['-tanpo']);
  });
  afterAll(async () => { await sc?.cleanup(); });

  const count = (state: string, port?: string) =>
    tan.filter((r) => r[0] === state && (port === undefined || r[3].endsWith(`:${port}`) || r[4].endsWith(`:${port}`))).length;
  const line = (re: RegExp) => tanpo.split('\n').find((l) => re.test(l));

  it('sets up in a few seconds', () => {
    expect(setupMs).toBeLessThan(10000);
  });

  it('has the listeners with their process names', () => {
    expect(line(/LISTEN .* 0\.0\.0\.0:3306 .*"mysqld"/)).toBeDefined();
    expect(line(/LISTEN .* 127\.0\.0\.1:6379 .*"redis-server"/)).toBeDefined();
  });

  it('has exactly 150 CLOSE-WAIT owned by leaky-app and 1100 TIME-WAIT', () => {
    expect(count('CLOSE-WAIT', '8080')).toBe(150);
    expect(tanpo.split('\n').filter((l) => l.startsWith('CLOSE-WAIT') && l.includes('"leaky-app"'))).toHaveLength(150);
    expect(count('TIME-WAIT', '8081')).toBe(1100);
  });

  it('has an unread receive queue and a full accept queue', () => {
    expect(line(/^ESTAB\s+4096\s+0\s+127\.0\.0\.1:9000 /)).toBeDefined();
    expect(line(/^LISTEN\s+3\s+2\s+0\.0\.0\.0:9001 .*"stuck-api"/)).toBeDefined();
    expect(count('SYN-SENT', '9001')).toBe(1);
  });

  it('has a retransmitting socket and a pending retransmit timer without retransmissions', () => {
    expect(line(/127\.0\.0\.2:9002 .*timer:\(on,[^,]*,[1-9]\d*\)/)).toBeDefined();
    expect(line(/127\.0\.0\.3:9003 .*timer:\(on,\d+sec,0\)/)).toBeDefined();
  });

  it('has a zero-window sender, keepalive, IPv6 and IPv4-mapped sockets', () => {
    expect(line(/127\.0\.0\.1:9004 .*timer:\(persist,/)).toBeDefined();
    expect(line(/\[::1\]:\d+\s+\[::1\]:8443 .*timer:\(keepalive,/)).toBeDefined();
    expect(line(/^LISTEN .*\[::\]:8443/)).toBeDefined();
    expect(line(/^LISTEN .* \*:8444 /)).toBeDefined();
    expect(line(/\[::ffff:127\.0\.0\.1\]:8444/)).toBeDefined();
  });

  it('has udp and unix sockets', async () => {
    const ux = await sc.ss(['-uaxnp']);
    expect(ux).toMatch(/udp\s+UNCONN .*0\.0\.0\.0:161 .*"snmpd"/);
    expect(ux).toContain(`${sc.unixDir}/app.sock`);
    expect(ux).toMatch(/@socklint-test /);
  });
});

describeNetns('scenario composition and cleanup', () => {
  it('builds only the requested parts and removes the namespace on cleanup', async () => {
    const sc = await createScenario({ redis: { port: 7000, name: 'cache' } });
    try {
      const text = await sc.ss(['-tlnp']);
      expect(rows(text)).toHaveLength(1);
      expect(text).toMatch(/127\.0\.0\.1:7000 .*"cache"/);
      expect(Object.keys(sc.info.parts)).toEqual(['redis']);
    } finally {
      await sc.cleanup();
    }
    await expect(sc.ss(['-tln'])).rejects.toThrow();
    for (const pid of Object.values(sc.info.pids)) expect(() => process.kill(pid, 0)).toThrow();
  });

  it('rejects unknown parts with a clear error and leaves nothing behind', async () => {
    await expect(createScenario({ bogus: true } as never)).rejects.toThrow(/unknown scenario part/);
  });
});
