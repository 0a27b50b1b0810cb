import { UsageError, parseArgs } from './args';

describe('the operator command line', () => {
  it('reads each command with its target and options', () => {
    expect(parseArgs(['create-admin', 'root', '--domain', 'example.org', '--password-stdin'])).toEqual({
      name: 'create-admin',
      username: 'root',
      domain: 'example.org',
      passwordStdin: true,
    });
    expect(parseArgs(['reset-password', 'bob'])).toEqual({
      name: 'reset-password',
      username: 'bob',
      domain: undefined,
      passwordStdin: false,
    });
    expect(parseArgs(['two-factor', 'off'])).toEqual({ name: 'two-factor-off' });
    expect(parseArgs(['end-sessions', 'bob'])).toEqual({ name: 'end-sessions', username: 'bob', domain: undefined });
    expect(parseArgs(['list-admins', '--json'])).toEqual({ name: 'list-admins', domain: undefined, json: true });
    expect(parseArgs([])).toEqual({ name: 'help' });
  });

  it('never takes a password on the command line, where ps shows it', () => {
    for (const argv of [
      ['reset-password', 'bob', '--password', 'secret'],
      ['create-admin', 'bob', '--password=secret'],
    ]) {
      expect(() => parseArgs(argv)).toThrow(/never taken on the command line/);
    }
  });

  it.each([
    [['two-factor', 'on'], /two-factor takes "off"/],
    [['end-sessions'], /takes one username/],
    [['end-sessions', 'a', 'b'], /takes one username/],
    [['end-sessions', 'bob', '--password-stdin'], /takes no --password-stdin/],
    [['create-admin', 'bob', '--domain'], /--domain needs a value/],
    [['list-admins', 'extra'], /takes no arguments/],
    [['frobnicate'], /unknown command frobnicate/],
    [['list-admins', '-x'], /unknown option -x/],
  ])('refuses %j with a usage error', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});
