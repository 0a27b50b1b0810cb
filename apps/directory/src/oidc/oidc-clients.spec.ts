import { parseClientId } from './oidc-clients.service';

describe('parseClientId', () => {
  it('splits appId@domain at the last @ and lower-cases the domain', () => {
    expect(parseClientId('grafana@Example.COM')).toEqual({ appId: 'grafana', domain: 'example.com' });
  });

  it('refuses ids without an app or a domain', () => {
    for (const id of ['grafana', '@example.com', 'grafana@', '']) expect(parseClientId(id)).toBeNull();
  });
});
