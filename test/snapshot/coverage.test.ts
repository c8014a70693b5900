import { captureCoverage, covers, listedBy } from '../../src/snapshot/coverage';

/** Which of these (netid, state) pairs a capture taken with `flags` can list. */
function listed(flags: string, pairs: [string, string][]): string[] {
  const c = captureCoverage(flags);
  return pairs.filter(([n, s]) => covers(c, n, s)).map(([n, s]) => `${n} ${s}`);
}

const PAIRS: [string, string][] = [
  ['tcp', 'LISTEN'], ['tcp', 'ESTAB'], ['tcp', 'CLOSE-WAIT'], ['tcp', 'TIME-WAIT'], ['tcp', 'SYN-RECV'],
  ['udp', 'UNCONN'], ['udp', 'ESTAB'], ['u_str', 'LISTEN'], ['u_str', 'ESTAB'], ['u_dgr', 'UNCONN'], ['raw', 'UNCONN'],
];

describe('captureCoverage: what a capture taken with these ss flags can list (ss.c default_dbs, -a/-l, state filters)', () => {
  test('-a lists every state of the tables named', () => {
    expect(listed('-tanp', PAIRS)).toEqual(['tcp LISTEN', 'tcp ESTAB', 'tcp CLOSE-WAIT', 'tcp TIME-WAIT', 'tcp SYN-RECV']);
    expect(listed('-tuaxnpmioeO', PAIRS)).toEqual(PAIRS.filter(([n]) => n !== 'raw').map(([n, s]) => `${n} ${s}`));
  });

  test('-l lists listening and unconnected sockets only', () => {
    expect(listed('-tulpn', PAIRS)).toEqual(['tcp LISTEN', 'udp UNCONN']);
    expect(listed('-ltnp', PAIRS)).toEqual(['tcp LISTEN']);
  });

  test('no -a/-l: connected states only (and UNCONN where some iproute2 version lists it by default)', () => {
    expect(listed('-tnp', PAIRS)).toEqual(['tcp ESTAB', 'tcp CLOSE-WAIT']);
    expect(listed('-x', PAIRS)).toEqual(['u_str ESTAB', 'u_dgr UNCONN']);
    // plain ss: every table, connected states (+ UNCONN of older versions' unix datagram/packet/netlink defaults)
    expect(listed('-np', PAIRS)).toEqual(['tcp ESTAB', 'tcp CLOSE-WAIT', 'udp UNCONN', 'udp ESTAB', 'u_str ESTAB', 'u_dgr UNCONN', 'raw UNCONN']);
  });

  test('state and exclude filters replace -a/-l, in order', () => {
    expect(listed('-tan state close-wait', PAIRS)).toEqual(['tcp CLOSE-WAIT']);
    expect(listed('-tn state established state close-wait', PAIRS)).toEqual(['tcp ESTAB', 'tcp CLOSE-WAIT']);
    expect(listed('-tn exclude time-wait exclude syn-recv', PAIRS)).toEqual(['tcp LISTEN', 'tcp ESTAB', 'tcp CLOSE-WAIT']);
    expect(listed('-tn state bucket', PAIRS)).toEqual(['tcp TIME-WAIT', 'tcp SYN-RECV']);
    expect(listed('-tn state connected', PAIRS)).toEqual(['tcp ESTAB', 'tcp CLOSE-WAIT', 'tcp TIME-WAIT', 'tcp SYN-RECV']);
  });

  test('-A, -f and families name tables', () => {
    expect(listed('-a -A unix_stream', PAIRS)).toEqual(['u_str LISTEN', 'u_str ESTAB']);
    expect(listed('-a -f inet', PAIRS).filter((p) => p.startsWith('u_'))).toEqual([]);
    expect(listed('-a -4', PAIRS)).toContain('raw UNCONN');
    expect(listed('-aw', PAIRS)).toEqual(['raw UNCONN']);
    // --tipc, --vsock, --xdp name their family as -f does
    const more: [string, string][] = [...PAIRS, ['ti_st', 'ESTAB'], ['ti_rd', 'UNCONN'], ['v_str', 'ESTAB'], ['xdp', 'UNCONN']];
    expect(listed('-a --tipc', more)).toEqual(['ti_st ESTAB', 'ti_rd UNCONN']);
    expect(listed('--vsock -a', more)).toEqual(['v_str ESTAB']);
    expect(listed('-a --xdp', more)).toEqual(['xdp UNCONN']);
    expect(listed('-a --tipc -t', more)).toEqual([...PAIRS.slice(0, 5).map(([n, s]) => `${n} ${s}`), 'ti_st ESTAB', 'ti_rd UNCONN']);
  });

  test('what cannot be told is never said to be missing', () => {
    expect(listed('-tn state no-such-state', PAIRS).length).toBe(5); // a state name ss refuses: every tcp state
    expect(listed('-a -A all', PAIRS)).toEqual(PAIRS.map(([n, s]) => `${n} ${s}`));
    const c = captureCoverage('-tlnp');
    expect(covers(c, 'unknown', 'CLOSE-WAIT')).toBe(true); // a row whose table could not be told
    expect(covers(c, 'tcp', 'NEW-SYN-RECV')).toBe(true); // a state outside ss's filter bits
    expect(covers(c, 'tcp', undefined)).toBe(true);
  });
});

describe('ss -E (events): the tcp and udp sockets the kernel destroys, whatever the state filter (fixtures/events)', () => {
  const EVENTS: [string, string][] = [...PAIRS, ['tcp', 'UNCONN'], ['udp', 'SYN-SENT']];

  test('a tcp socket closed (UNCONN), a udp one unconnected or connected; no other table', () => {
    expect(listed('-E', EVENTS)).toEqual(['udp UNCONN', 'udp ESTAB', 'tcp UNCONN']);
    expect(listed('-Etuen', EVENTS)).toEqual(['udp UNCONN', 'udp ESTAB', 'tcp UNCONN']);
    expect(listed('--events -n', EVENTS)).toEqual(['udp UNCONN', 'udp ESTAB', 'tcp UNCONN']);
    expect(listed('-Et', EVENTS)).toEqual(['tcp UNCONN']);
    expect(listed('-Eun', EVENTS)).toEqual(['udp UNCONN', 'udp ESTAB']);
    // tables without destroy events: none of theirs (ss lists no table at all with -E)
    expect(listed('-Ex', EVENTS)).toEqual([]);
    expect(listed('-E -A inet', EVENTS)).toEqual(['udp UNCONN', 'udp ESTAB', 'tcp UNCONN']);
  });

  test('-a, -l and state filters change nothing: no state filter applies to the events', () => {
    for (const flags of ['-Eat', '-Elt', '-Et state listening', '-Et exclude closed']) expect({ flags, listed: listed(flags, EVENTS) }).toEqual({ flags, listed: ['tcp UNCONN'] });
    expect(listed('-Eau', EVENTS)).toEqual(['udp UNCONN', 'udp ESTAB']);
  });

  test('a rule on any table asks of the states of the tables listed; a row whose table is unknown may be any', () => {
    const c = captureCoverage('-E');
    expect(c.events).toBe(true);
    expect(['LISTEN', 'ESTAB', 'UNCONN', 'CLOSE-WAIT'].filter((s) => covers(c, undefined, s))).toEqual(['ESTAB', 'UNCONN']);
    expect(covers(captureCoverage('-Et'), undefined, 'ESTAB')).toBe(false);
    expect(covers(c, 'unknown', 'LISTEN')).toBe(true);
    expect(covers(c, 'tcp', undefined)).toBe(true);
    expect(covers(c, 'u_str', undefined)).toBe(false);
    expect(captureCoverage('-tan').events).toBeUndefined();
  });
});

describe('listedBy: how the rule reference says a capture lists a rule\'s sockets', () => {
  const filter = (netids?: string[], states?: string[]) => ({ ...(netids ? { netids: new Set(netids) } : {}), ...(states ? { states: new Set(states) } : {}) });
  test('tables by their option, states by -a / -l', () => {
    expect(listedBy(filter(['tcp'], ['CLOSE-WAIT']))).toBe('`tcp` in state `CLOSE-WAIT`: listed by ss -t with -a (not -l)');
    expect(listedBy(filter(['tcp', 'udp'], ['LISTEN', 'UNCONN']))).toBe('`tcp`, `udp` in state `LISTEN`, `UNCONN`: listed by ss -t / -u with -a or -l');
    expect(listedBy(filter(['u_str', 'u_dgr']))).toBe('`u_str`, `u_dgr`: listed by ss -x');
    expect(listedBy(filter(undefined, ['LISTEN']))).toBe('any table in state `LISTEN`: listed by ss with -a or -l');
    expect(listedBy(undefined)).toBeUndefined();
  });
});
