import { NatsClient } from '@gatehouse/platform';
import { SmtpSink, waitFor } from '@gatehouse/testing';
import { MailerSubjects } from '@gatehouse/contracts';
import type { TestSystem } from '../support/system';

/** Mail through a real SMTP peer, with links pointing back at this test system. */
export async function configureMail(system: TestSystem, sink: SmtpSink): Promise<void> {
  await system.gateway.get(NatsClient, { strict: false }).send(MailerSubjects.configSet, {
    actor: { kind: 'system', service: 'test' },
    config: sink.mailerConfig({ verificationLink: `${system.url}/api/v1` }),
  });
}

/** The n-th mail to `to` whose text contains `marker`; waits for it. */
export async function mailTo(sink: SmtpSink, to: string, marker: string, index = 0) {
  await waitFor(() => sink.messagesTo(to).filter((m) => m.text?.includes(marker)).length > index);
  return sink.messagesTo(to).filter((m) => m.text?.includes(marker))[index];
}

export const linkIn = (text: string | undefined, path: string): string => {
  const match = new RegExp(`https?://\\S+${path}/[A-Za-z0-9_%-]+`).exec(text ?? '');
  if (!match) throw new Error(`no ${path} link in mail`);
  return match[0];
};
