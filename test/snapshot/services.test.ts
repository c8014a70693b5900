/**
 * Service names of captures taken without -n (src/snapshot/services.ts): Debian's names, the local
 * /etc/services, then IANA's whole registry (RHEL's /etc/services is that registry); the parser counts the
 * names none of them maps (ParseStats.unknownPorts), so rules on those ports are not evaluated instead of passing.
 */
import { builtinServices, createServiceTable } from '../../src/snapshot/services';
import { parseSsText } from '../../src/snapshot/parser';

describe('the service table', () => {
  it('maps names only IANA\'s registry has, as a RHEL capture prints them', () => {
    const t = builtinServices();
    expect(t.lookup('ncube-lm', 'tcp')).toBe(1521); // Oracle's listener
    expect(t.lookup('sun-sr-https', 'tcp')).toBe(6443); // kube-apiserver
    expect(t.lookup('wbem-https', 'tcp')).toBe(5989);
    expect(t.lookup('mysql', 'tcp')).toBe(3306);
  });

  it('leaves a name the registry gives several ports of one protocol unknown, and an unknown name unknown', () => {
    const t = builtinServices();
    expect(t.lookup('msp', 'tcp')).toBeUndefined(); // 18 and 2438
    expect(t.lookup('no-such-service-name', 'tcp')).toBeUndefined();
  });

  it('adds the local /etc/services\' names; a name two sources give different ports is unknown, as one IANA gives several', () => {
    const t = createServiceTable('ncube-lm 9999/tcp\nmyapp 9000/tcp\n');
    expect(t.lookup('ncube-lm', 'tcp')).toBeUndefined(); // 1521 in IANA's registry (and RHEL's /etc/services)
    expect(t.lookup('myapp', 'tcp')).toBe(9000);
    // `http` is 80 in netbase; the registry also names other ports www-http etc., never changing it
    expect(t.lookup('http', 'tcp')).toBe(80);
    expect(createServiceTable('myapp 9000/tcp\n', false).lookup('ncube-lm', 'tcp')).toBeUndefined();
  });

  it('reads a name as what names a port so, never as another entry\'s alias: ss prints getservbyport\'s first name (a rogue 8008 listener read as an allowed 8080)', () => {
    const t = builtinServices();
    // Debian: `acr-nema 104/tcp dicom` and `dicom 11112/tcp`; getservbyport(104) is acr-nema, so ss's `dicom` is 11112
    expect([t.lookup('dicom', 'tcp'), t.lookup('acr-nema', 'tcp')]).toEqual([11112, 104]);
    // Debian's `icpv2 3130/udp icp`; IANA's icp is 1112
    expect(t.lookup('icp', 'udp')).toBe(1112);
    // http-alt: Debian's 8080, IANA's (RHEL's) 591, 8008 and 8080; mon: 2583, IANA's 2583 and 9255 — which one a capture meant cannot be told
    expect([t.lookup('http-alt', 'tcp'), t.lookup('mon', 'tcp')]).toEqual([undefined, undefined]);
    // an alias nothing names a port so is read as its entry's port
    expect(createServiceTable('myapp 9000/tcp myapp-alias\n', false).lookup('myapp-alias', 'tcp')).toBe(9000);
  });
});

describe('the parser', () => {
  const HEADER = 'Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port';
  it('counts the ports it cannot map, by side, netid and state, with their names', () => {
    const r = parseSsText([
      HEADER,
      'tcp LISTEN 0 128 0.0.0.0:myappx 0.0.0.0:*',
      'tcp LISTEN 0 128 0.0.0.0:ncube-lm 0.0.0.0:*',
      'tcp ESTAB 0 0 10.0.0.1:40000 10.0.0.2:myappx',
      'tcp LISTEN 0 64 [::]:rpc.nlockmgr [::]:*',
      'nl UNCONN 0 0 rtnl:systemd/1 *',
      '',
    ].join('\n'), { file: 'f', services: builtinServices() });
    expect(r.sockets.map((s) => s.local.port)).toEqual([null, 1521, 40000, null, 1]);
    expect(r.stats.unknownPorts).toEqual({ 'local tcp LISTEN': 2, 'peer tcp ESTAB': 1 });
    expect(r.stats.unknownPortNames).toEqual({ myappx: 2, 'rpc.nlockmgr': 1 });
  });

  it('counts nothing for numeric captures or names it maps', () => {
    const r = parseSsText(`${HEADER}\ntcp LISTEN 0 128 0.0.0.0:ssh 0.0.0.0:*\nudp UNCONN 0 0 0.0.0.0:123 0.0.0.0:*\n`, { file: 'f', services: builtinServices() });
    expect(r.stats.unknownPorts).toEqual({});
    expect(r.stats.unknownPortNames).toEqual({});
  });
});
