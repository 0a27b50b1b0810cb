import { Metrics } from './metrics';

describe('Metrics', () => {
  it('keeps each app instance apart and labels every series with its service', async () => {
    const sut = new Metrics('auth');
    const other = new Metrics('sessions');
    sut.counter('gatehouse_logins_total', 'Logins', ['outcome']).inc({ outcome: 'success' });
    other.counter('gatehouse_logins_total', 'Logins', ['outcome']).inc({ outcome: 'failure' });

    expect(await sut.text()).toContain('gatehouse_logins_total{outcome="success",service="auth"} 1');
    expect(await sut.text()).not.toContain('failure');
  });

  it('returns the same metric when asked again by name, so features can share it', async () => {
    const sut = new Metrics('mailer');
    sut.gauge('gatehouse_mail_queue_depth', 'Mails waiting').set(3);
    sut.gauge('gatehouse_mail_queue_depth', 'Mails waiting').inc();

    expect(await sut.text()).toContain('gatehouse_mail_queue_depth{service="mailer"} 4');
  });
});
