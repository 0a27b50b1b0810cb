import { Server, Socket, createConnection, createServer } from 'node:net';
import { PrivateLdap, freePort } from '@gatehouse/testing';

export interface SeenBind {
  /** The bind name as the client sent it. */
  name: string;
  /** The name slapd was asked to bind, after UPN resolution. */
  boundAs: string;
  emptyPassword: boolean;
}

const BIND_REQUEST = 0x60; // [APPLICATION 0] constructed
const SIMPLE = 0x80; // [0] primitive: simple authentication

/**
 * Active Directory takes `user@domain` (a UPN) as a simple-bind name; OpenLDAP only takes DNs. This
 * front stands before a private slapd and does what AD does with such a name: `user@<its domain>`
 * becomes the user's entry, any other UPN an entry that does not exist (so a wrong one fails as
 * invalid credentials). Everything else passes through as it is; the password is checked by slapd.
 * It records every bind and connection, so a test can see what reached the domain controller.
 */
export class UpnBindFront {
  readonly binds: SeenBind[] = [];
  connections = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(ldap: PrivateLdap): Promise<UpnBindFront> {
    const port = await freePort();
    const server = createServer();
    const front = new UpnBindFront(server, port);
    server.on('connection', (client) => front.relay(client, ldap));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return front;
  }

  get url(): string {
    return `ldap://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket, ldap: PrivateLdap): void {
    this.connections++;
    const upstream = createConnection({ host: '127.0.0.1', port: ldap.port });
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    upstream.pipe(client);
    let pending = Buffer.alloc(0);
    let passThrough = false;
    client.on('data', (chunk: Buffer) => {
      if (passThrough) return void upstream.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        if (pending.length > 0 && pending[0] !== 0x30) {
          // Not an LDAP message (e.g. TLS after StartTLS): no more rewriting on this connection.
          passThrough = true;
          upstream.write(pending);
          return;
        }
        const message = readTlv(pending, 0);
        if (!message) return;
        upstream.write(this.resolveBind(pending.subarray(0, message.end), ldap));
        pending = pending.subarray(message.end);
      }
    });
  }

  /** A BindRequest with a UPN gets the DN AD would bind; any other message is returned as it is. */
  private resolveBind(message: Buffer, ldap: PrivateLdap): Buffer {
    const outer = readTlv(message, 0)!;
    const id = readTlv(message, outer.start)!;
    const op = readTlv(message, id.end)!;
    if (message[id.end] !== BIND_REQUEST) return message;
    const version = readTlv(message, op.start)!;
    const name = readTlv(message, version.end)!;
    const auth = readTlv(message, name.end)!;
    const sent = message.subarray(name.start, name.end).toString('utf8');
    const boundAs = sent.includes('@') && !sent.includes('=') ? dnForUpn(sent, ldap) : sent;
    this.binds.push({ name: sent, boundAs, emptyPassword: message[name.end] === SIMPLE && auth.end === auth.start });
    const bind = tlv(
      BIND_REQUEST,
      Buffer.concat([message.subarray(op.start, version.end), tlv(0x04, Buffer.from(boundAs)), message.subarray(name.end, op.end)]),
    );
    return tlv(0x30, Buffer.concat([message.subarray(outer.start, id.end), bind, message.subarray(op.end, outer.end)]));
  }
}

function dnForUpn(upn: string, ldap: PrivateLdap): string {
  const at = upn.lastIndexOf('@');
  const [user, suffix] = [upn.slice(0, at), upn.slice(at + 1)];
  if (suffix.toLowerCase() !== ldap.domain.toLowerCase()) return `cn=no-such-upn,${ldap.baseDn}`;
  return `uid=${user.replace(/[,+"\\<>;=#]/g, (c) => `\\${c}`)},ou=people,${ldap.baseDn}`;
}

/** One BER TLV at `offset`: where its value starts and where it ends; null while incomplete. */
function readTlv(buffer: Buffer, offset: number): { start: number; end: number } | null {
  if (buffer.length < offset + 2) return null;
  let length = buffer[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (buffer.length < start + bytes) return null;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + buffer[start + i];
    start += bytes;
  }
  return buffer.length < start + length ? null : { start, end: start + length };
}

function tlv(tag: number, value: Buffer): Buffer {
  const n = value.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), value]);
}
