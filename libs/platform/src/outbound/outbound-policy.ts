import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses an admin setting must not point Gatehouse at unless the operator allows them
 * (OUTBOUND_ALLOWED_NETWORKS): this host, link-local, private, shared (CGNAT), reserved and
 * documentation ranges, multicast. IPv4-mapped IPv6 addresses are matched by BlockList as IPv4.
 */
const PRIVATE_V4: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const PRIVATE_V6: Array<[string, number]> = [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible form
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23], // IETF protocol assignments, Teredo included
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];

const privateRanges = new BlockList();
for (const [network, prefix] of PRIVATE_V4) privateRanges.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of PRIVATE_V6) privateRanges.addSubnet(network, prefix, 'ipv6');

/** `10.0.0.0/8`, `fd00::/8` or a single address; what OUTBOUND_ALLOWED_NETWORKS holds, comma-separated. */
export function parseNetwork(entry: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [address, prefixText, ...rest] = entry.trim().split('/');
  const version = isIP(address ?? '');
  if (rest.length > 0 || version === 0) return null;
  const max = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return null;
  return { address: address!, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** An outbound connection the policy does not allow; its message names the address, never the setting's secret. */
export class OutboundRefusedError extends Error {
  readonly code = 'EOUTBOUND';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} resolves to ${address}, a loopback, link-local or private address; allow it with OUTBOUND_ALLOWED_NETWORKS`);
    this.name = 'OutboundRefusedError';
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Where admin-configured targets (SMTP host, OIDC issuer, LDAP URL) may lead. Checked when a setting is
 * saved and again at every connection on each address the name resolves to, so a DNS answer that
 * changes after saving (rebinding) still cannot reach an internal address.
 */
export class OutboundPolicy {
  private readonly allowed = new BlockList();

  constructor(allowedNetworks: readonly string[] = []) {
    for (const entry of allowedNetworks) {
      const network = parseNetwork(entry);
      if (!network) throw new Error(`not a network: ${entry}`);
      this.allowed.addSubnet(network.address, network.prefix, network.family);
    }
  }

  isAllowedAddress(address: string): boolean {
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (this.allowed.check(address, family)) return true;
    return !privateRanges.check(address, family) && !embedsPrivateV4(address);
  }

  /** Every address `host` resolves to, all of them allowed; throws OutboundRefusedError otherwise. */
  async resolve(host: string): Promise<LookupAddress[]> {
    const bare = host.replace(/^\[(.*)\]$/, '$1');
    const addresses = isIP(bare)
      ? [{ address: bare, family: isIP(bare) }]
      : await new Promise<LookupAddress[]>((resolve, reject) =>
          dnsLookup(bare, { all: true }, (error, found) => (error ? reject(error) : resolve(found))),
        );
    const refused = addresses.find((a) => !this.isAllowedAddress(a.address));
    if (refused) throw new OutboundRefusedError(bare, refused.address);
    return addresses;
  }

  /** A `lookup` for net/tls/http connections that resolves like dns.lookup and refuses a disallowed answer. */
  readonly lookup = (hostname: string, options: { all?: boolean } | number | LookupCallback, callback?: LookupCallback): void => {
    const done = (typeof options === 'function' ? options : callback)!;
    const all = typeof options === 'object' && options.all === true;
    this.resolve(hostname).then(
      (addresses) => (all ? done(null, addresses) : done(null, addresses[0]!.address, addresses[0]!.family)),
      (error: NodeJS.ErrnoException) => done(error, all ? [] : ''),
    );
  };
}

/** NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address that must pass the same check. */
function embedsPrivateV4(address: string): boolean {
  if (isIP(address) !== 6) return false;
  const words = expandV6(address);
  if (!words) return false;
  const v4 = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  if (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((w) => w === 0))
    return privateRanges.check(v4(words[6]!, words[7]!), 'ipv4');
  if (words[0] === 0x2002) return privateRanges.check(v4(words[1]!, words[2]!), 'ipv4');
  return false;
}

function expandV6(address: string): number[] | null {
  let text = address.split('%')[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number);
    text = text.slice(0, -dotted[1]!.length) + `${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const words = [...left, ...Array<string>(fill).fill('0'), ...right].map((w) => parseInt(w, 16));
  return words.length === 8 && words.every((w) => Number.isInteger(w)) ? words : null;
}
