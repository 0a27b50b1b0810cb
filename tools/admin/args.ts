/** The operator command line, parsed: what to do, to whom, and where a new password comes from. */
export type Command =
  | { name: 'create-admin' | 'reset-password'; username: string; domain?: string; passwordStdin: boolean }
  | { name: 'end-sessions'; username: string; domain?: string }
  | { name: 'two-factor-off' }
  | { name: 'list-admins'; domain?: string; json: boolean }
  | { name: 'help' };

export class UsageError extends Error {}

export const USAGE = `usage: npm run admin -- <command>
  create-admin <username> [--domain d] [--password-stdin]   create or reset an administrator (installation's domain by default)
  reset-password <username> [--domain d] [--password-stdin] set a new password
  two-factor off                                            switch two-factor approval off
  end-sessions <username> [--domain d]                      end every session of the user
  list-admins [--domain d] [--json]                         administrators and whether a new login of theirs could be approved
A new password is read from stdin (--password-stdin), else from GATEHOUSE_NEW_PASSWORD, else generated and printed once.`;

/** Never takes a password: argv is visible to every user of the machine (`ps`). */
export function parseArgs(argv: string[]): Command {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--domain') {
      const value = argv[++i];
      if (!value || value.startsWith('--')) throw new UsageError('--domain needs a value');
      flags.set('domain', value);
    } else if (arg === '--password-stdin' || arg === '--json') {
      flags.set(arg.slice(2), true);
    } else if (arg === '--help' || arg === '-h') {
      return { name: 'help' };
    } else if (arg.startsWith('--password')) {
      throw new UsageError('passwords are never taken on the command line (ps shows it): use --password-stdin or GATEHOUSE_NEW_PASSWORD');
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      positional.push(arg);
    }
  }
  const [name, ...rest] = positional;
  const domain = flags.get('domain') as string | undefined;
  const allow = (...allowed: string[]) => {
    const extra = [...flags.keys()].find((flag) => !allowed.includes(flag));
    if (extra) throw new UsageError(`${name} takes no --${extra}`);
  };
  const one = (what: string): string => {
    if (rest.length !== 1) throw new UsageError(`${name} takes one ${what}`);
    return rest[0];
  };
  switch (name) {
    case 'create-admin':
    case 'reset-password':
      allow('domain', 'password-stdin');
      return { name, username: one('username'), domain, passwordStdin: flags.has('password-stdin') };
    case 'end-sessions':
      allow('domain');
      return { name, username: one('username'), domain };
    case 'two-factor':
      allow();
      if (rest.length !== 1 || rest[0] !== 'off')
        throw new UsageError('two-factor takes "off" (switching it on is for the admin console, where its guard applies)');
      return { name: 'two-factor-off' };
    case 'list-admins':
      allow('domain', 'json');
      if (rest.length) throw new UsageError('list-admins takes no arguments besides --domain and --json');
      return { name, domain, json: flags.has('json') };
    case undefined:
    case 'help':
      return { name: 'help' };
    default:
      throw new UsageError(`unknown command ${name}`);
  }
}
