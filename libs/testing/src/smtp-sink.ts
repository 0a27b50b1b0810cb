import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { freePort } from './nats-server';

export interface SinkMessage {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** The client's EHLO/HELO name. */
  clientHostname: string;
  raw: string;
}

export interface SmtpSinkOptions {
  /** When set, every session must log in with exactly these credentials (535 otherwise). */
  auth?: { username: string; password: string };
}

/**
 * A real SMTP server on a free local port that keeps every message it receives. stop() and start()
 * reuse the same port, so a test can take the mail server away and bring it back.
 */
export class SmtpSink {
  readonly messages: SinkMessage[] = [];
  private server?: SMTPServer;
  private gate?: { opened: Promise<void>; open: () => void };
  /** Mail transactions waiting at MAIL FROM while held. */
  waiting = 0;

  private constructor(
    readonly port: number,
    private readonly options: SmtpSinkOptions,
  ) {}

  static async start(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
    const sink = new SmtpSink(await freePort(), options);
    await sink.start();
    return sink;
  }

  readonly host = '127.0.0.1';

  /** A `mailer.config.set` configuration that sends to this sink; `extra` overrides or adds fields. */
  mailerConfig(extra: { verificationLink: string; username?: string; password?: string }) {
    return {
      host: this.host,
      port: this.port,
      secure: false,
      clientHostName: 'mail.gatehouse.test',
      senderName: 'Gatehouse',
      address: 'noreply@gatehouse.test',
      username: '',
      ...extra,
    };
  }

  /** Until release(), every mail transaction waits after MAIL FROM: none in flight is accepted yet. */
  hold(): void {
    if (this.gate) return;
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    this.gate = { opened, open };
  }

  release(): void {
    this.gate?.open();
    this.gate = undefined;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const auth = this.options.auth;
    const server = new SMTPServer({
      secure: false,
      disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      authOptional: !auth,
      allowInsecureAuth: true,
      logger: false,
      onAuth: (credentials, _session, callback) => {
        const ok = auth && credentials.username === auth.username && credentials.password === auth.password;
        if (ok) callback(null, { user: credentials.username });
        else callback(Object.assign(new Error('Authentication failed'), { responseCode: 535 }));
      },
      onMailFrom: (_address, _session, callback) => {
        const gate = this.gate;
        if (!gate) return callback();
        this.waiting++;
        void gate.opened.then(() => {
          this.waiting--;
          callback();
        });
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw)
            .then((parsed) => {
              this.messages.push({
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((r) => r.address),
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                html: typeof parsed.html === 'string' ? parsed.html : '',
                clientHostname: session.hostNameAppearsAs,
                raw,
              });
              callback();
            })
            .catch((error: Error) => callback(error));
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => resolve());
    });
    this.server = server;
  }

  /** Stops listening and drops open connections; start() brings it back on the same port. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  messagesTo(address: string): SinkMessage[] {
    return this.messages.filter((m) => m.to.includes(address));
  }
}
