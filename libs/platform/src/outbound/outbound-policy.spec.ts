import { OutboundPolicy, OutboundRefusedError, parseNetwork } from './outbound-policy';

describe('OutboundPolicy', () => {
  const sut = new OutboundPolicy();

  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '0.0.0.0',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.0.1',
    '100.64.0.1',
    '169.254.169.254',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    '64:ff9b::a00:1',
    '2002:c0a8:101::1',
    '2001:db8::1',
  ])('refuses %s', (address) => {
    expect(sut.isAllowedAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])(
    'allows the public address %s',
    (address) => {
      expect(sut.isAllowedAddress(address)).toBe(true);
    },
  );

  it('allows exactly the networks the operator lists, in either address family form', () => {
    const allowing = new OutboundPolicy(['10.0.0.0/24', '::1']);
    expect([
      allowing.isAllowedAddress('10.0.0.200'),
      allowing.isAllowedAddress('::ffff:10.0.0.7'),
      allowing.isAllowedAddress('::1'),
    ]).toEqual([true, true, true]);
    expect([allowing.isAllowedAddress('10.0.1.1'), allowing.isAllowedAddress('127.0.0.1')]).toEqual([false, false]);
  });

  it('checks every address a name resolves to', async () => {
    await expect(sut.resolve('localhost')).rejects.toBeInstanceOf(OutboundRefusedError);
    await expect(sut.resolve('[::1]')).rejects.toMatchObject({ address: '::1' });
    await expect(sut.resolve('93.184.215.14')).resolves.toEqual([{ address: '93.184.215.14', family: 4 }]);
  });

  it('reads networks and refuses what is none', () => {
    expect(parseNetwork('10.0.0.0/8')).toEqual({ address: '10.0.0.0', prefix: 8, family: 'ipv4' });
    expect(parseNetwork('fd00::/8')).toEqual({ address: 'fd00::', prefix: 8, family: 'ipv6' });
    expect(parseNetwork('10.0.0.1')).toEqual({ address: '10.0.0.1', prefix: 32, family: 'ipv4' });
    for (const bad of ['10.0.0.0/33', 'intranet', '10.0.0.0/8/8', '::1/129', '1.2.3.4/x']) expect(parseNetwork(bad)).toBeNull();
  });
});
