import { Inject, Injectable } from '@nestjs/common';
import { ReplyOf } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { LOGGER, Logger } from '@gatehouse/platform';
import { Client, NoSuchObjectError, ResultCodeError, StrongAuthRequiredError } from 'ldapts';
import { REFUSAL_TEXT } from './ad-bind-error';
import { NetlogonSettings, domainControllers } from './netlogon-settings';
import { NetlogonVerifier, outageOf } from './netlogon.verifier';

type TestReply = ReplyOf<'federation.netlogon.test'>;

/**
 * Checks Netlogon settings against each domain controller before they are saved (TLS verifies, the
 * service account binds, the search base and the group exist), and binds one user for an admin's
 * test without signing anyone in.
 */
@Injectable()
export class NetlogonProbe {
  constructor(
    private readonly verifier: NetlogonVerifier,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** validation_failed naming the field and the reason (`details.reason`) when a domain controller would not serve logins. */
  async check(settings: NetlogonSettings): Promise<void> {
    for (const url of domainControllers(settings)) {
      let client: Client | undefined;
      try {
        client = await this.verifier.connect(settings, url);
        if (settings.bindMode === 'search' && settings.serviceAccount && settings.searchBase) {
          await this.verifier.bindServiceAccount(client, settings, settings.serviceAccount);
          await mustExist(client, settings.searchBase, 'netlogon.searchBase');
          if (settings.requiredGroup) await mustExist(client, settings.requiredGroup, 'netlogon.requiredGroup');
        } else {
          // Without an account to bind, reading the root DSE proves the connection and its TLS.
          await client
            .search('', { scope: 'base', filter: '(objectClass=*)', attributes: ['defaultNamingContext'] })
            .catch((error: unknown) => {
              if (error instanceof ResultCodeError && !(error instanceof StrongAuthRequiredError)) return undefined;
              throw error;
            });
        }
      } catch (error) {
        throw this.refusal(url, error);
      } finally {
        await client?.unbind().catch(() => undefined);
      }
    }
  }

  private refusal(url: string, error: unknown): AppError {
    const host = new URL(url).host;
    if (error instanceof AppError) {
      if (error.code === 'validation_failed') return error;
      if (error.details?.reason === 'service_account_guard') {
        const minutes = Math.ceil(Number(error.details.retryAfterSeconds ?? 60) / 60);
        return new AppError(
          'validation_failed',
          `netlogon.servicePassword: the service account was refused too often; so that AD does not lock it, Gatehouse binds it again in ${minutes} min`,
          { field: 'netlogon.servicePassword', reason: 'bad_password_guard', retryAfterSeconds: error.details.retryAfterSeconds },
        );
      }
      if (error.details?.reason === 'service_account') {
        const adCode = typeof error.details.adCode === 'string' ? error.details.adCode : undefined;
        return new AppError(
          'validation_failed',
          `netlogon.servicePassword: ${host} refused the service account${adCode ? ` (AD data ${adCode})` : ''}`,
          {
            field: 'netlogon.servicePassword',
            reason: 'service_account_refused',
            ...(adCode ? { adCode } : {}),
          },
        );
      }
      return error;
    }
    const cause = outageOf(error);
    this.logger.warn(
      { event: 'netlogon.settings_refused', domainController: host, reason: cause.reason, errorCode: cause.errorCode },
      `Netlogon settings refused: ${cause.log}`,
    );
    return new AppError(
      'validation_failed',
      `netlogon.url: ${host}: ${cause.message}${cause.reason === 'tls' && cause.errorCode ? ` (${cause.errorCode})` : ''}`,
      {
        field: 'netlogon.url',
        reason: cause.reason,
        ...(cause.errorCode ? { errorCode: cause.errorCode } : {}),
      },
    );
  }

  /** An admin's check of one Windows account; counts towards the wrong-password guard like a login. */
  async test(settings: NetlogonSettings, login: string, password: string): Promise<TestReply> {
    const parsed = parseWindowsLogin(login, settings);
    try {
      const result = await this.verifier.verify(settings, parsed.username, password, parsed);
      if (result.ok) return { ok: true, outcome: 'ok', message: 'The domain controller accepted the password', identity: result.identity };
      if (result.refusal) {
        return {
          ok: false,
          outcome: result.refusal.code,
          message: `The domain controller refused: ${REFUSAL_TEXT[result.refusal.code]}`,
          ...(result.refusal.adCode ? { adCode: result.refusal.adCode } : {}),
        };
      }
      return { ok: false, outcome: 'wrong_password', message: 'Wrong password, or no such account for this name' };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const reason = typeof error.details?.reason === 'string' ? error.details.reason : error.code;
      return { ok: false, outcome: reason, message: error.message };
    }
  }
}

async function mustExist(client: Client, dn: string, field: string): Promise<void> {
  try {
    await client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes: ['dn'] });
  } catch (error) {
    if (error instanceof NoSuchObjectError)
      throw new AppError('validation_failed', `${field}: ${dn} does not exist in the directory`, { field, reason: 'not_found' });
    throw error;
  }
}

/** `CORP\alice`, `alice@corp.example` or `alice`, as the verifier takes them for a user of this mapping. */
function parseWindowsLogin(login: string, settings: NetlogonSettings): { username: string; email?: string; domain?: string } {
  const slash = login.indexOf('\\');
  if (slash > 0) return { username: login.slice(slash + 1), domain: login.slice(0, slash) };
  const at = login.lastIndexOf('@');
  if (at < 0) return { username: login };
  if ((settings.loginAttribute ?? 'sAMAccountName') === 'userPrincipalName') return { username: login.slice(0, at), email: login };
  return { username: login.slice(0, at), domain: login.slice(at + 1) };
}
