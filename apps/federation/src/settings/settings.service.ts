import { Inject, Injectable } from '@nestjs/common';
import { FederationConfigSetReq, FederationSettingsView } from '@gatehouse/contracts';
import { SecretBox } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { Clock, LOGGER, Logger, OutboundPolicy, OutboundRefusedError } from '@gatehouse/platform';
import { DEFAULT_BAD_PASSWORD_WINDOW_MINUTES, DEFAULT_MAX_BAD_PASSWORDS, NetlogonSettings } from '../netlogon/netlogon-settings';
import { NetlogonProbe } from '../netlogon/netlogon-probe';
import { parseCaCertificate } from './ca-certificate';
import { IssuerProbe } from './issuer-probe';
import { SettingsRepository, SettingsRow } from './settings.repository';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
  allowedOrigins: string[];
  oauth2Domain: string | null;
}

@Injectable()
export class SettingsService {
  constructor(
    private readonly repository: SettingsRepository,
    private readonly box: SecretBox,
    private readonly issuerProbe: IssuerProbe,
    private readonly clock: Clock,
    private readonly outbound: OutboundPolicy,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly netlogonProbe: NetlogonProbe,
  ) {}

  async view(): Promise<FederationSettingsView> {
    return toView(await this.repository.find());
  }

  async set(req: FederationConfigSetReq): Promise<FederationSettingsView> {
    const data: Parameters<SettingsRepository['upsert']>[0] = {};
    if (req.netlogon) {
      const n = req.netlogon;
      if (n.bindMode === 'search' && (!n.searchBase || !n.serviceDn)) {
        throw new AppError('validation_failed', 'search bind mode needs a search base and a service account', { field: 'netlogon' });
      }
      if (n.url) await this.refuseDisallowedLdapHost(n.url, 'save');
      Object.assign(data, {
        netlogonUrl: n.url,
        netlogonDomain: n.domain,
        netlogonBindMode: n.bindMode,
        netlogonSearchBase: n.searchBase,
        netlogonServiceDn: n.serviceDn,
        netlogonTimeoutMs: n.timeoutMs,
        allowPlainLdap: n.allowPlainLdap,
        ...(n.servicePassword !== undefined ? { netlogonServiceSecret: this.box.seal(n.servicePassword) } : {}),
        ...(n.caCertificate !== undefined
          ? { netlogonCaCertificate: n.caCertificate === null ? null : parseCaCertificate(n.caCertificate, this.clock.nowMs()) }
          : {}),
        netlogonFallbackUrls: n.fallbackUrls,
        netlogonNetbiosName: n.netbiosName,
        netlogonLoginAttribute: n.loginAttribute,
        netlogonRequiredGroup: n.requiredGroup,
        netlogonMaxBadPasswords: n.maxBadPasswords,
        netlogonBadPasswordWindowMinutes: n.badPasswordWindowMinutes,
      });
      for (const url of n.fallbackUrls ?? []) await this.refuseDisallowedLdapHost(url, 'save');
      // Settings that cannot sign anyone in are refused now, with the reason, not at every login.
      const stored = await this.repository.find();
      const next = { ...stored, ...stripUndefined(data) } as SettingsRow;
      if (next.netlogonUrl && next.netlogonDomain) await this.netlogonProbe.check(this.netlogonFrom(next));
    }
    if (req.oidc) {
      const o = req.oidc;
      // A typo in the issuer should fail here, with a clear message, not at the first login.
      if (o.issuer) await this.issuerProbe.check(o.issuer);
      Object.assign(data, {
        oidcIssuer: o.issuer,
        oidcClientId: o.clientId,
        oidcRedirectUri: o.redirectUri,
        oidcAllowedOrigins: o.allowedOrigins.map((url) => new URL(url).origin),
        oidcProviderName: o.providerName,
        oauth2Domain: o.oauth2Domain,
        ...(o.clientSecret !== undefined ? { oidcClientSecret: this.box.seal(o.clientSecret) } : {}),
      });
    }
    return toView(await this.repository.upsert(data));
  }

  async netlogon(): Promise<NetlogonSettings> {
    const row = await this.repository.find();
    if (!row?.netlogonUrl || !row.netlogonDomain) throw new AppError('netlogon_unavailable', 'Netlogon is not configured');
    // Checked again before each bind: the name may resolve elsewhere than when it was saved.
    await this.refuseDisallowedLdapHost(row.netlogonUrl, 'connect');
    for (const url of row.netlogonFallbackUrls ?? []) await this.refuseDisallowedLdapHost(url, 'connect');
    return this.netlogonFrom(row);
  }

  private netlogonFrom(row: SettingsRow): NetlogonSettings {
    return {
      url: row.netlogonUrl!,
      fallbackUrls: row.netlogonFallbackUrls ?? [],
      netbiosName: row.netlogonNetbiosName ?? undefined,
      loginAttribute: row.netlogonLoginAttribute === 'userPrincipalName' ? 'userPrincipalName' : 'sAMAccountName',
      requiredGroup: row.netlogonRequiredGroup ?? undefined,
      maxBadPasswords: row.netlogonMaxBadPasswords ?? undefined,
      badPasswordWindowMs: row.netlogonBadPasswordWindowMinutes ? row.netlogonBadPasswordWindowMinutes * 60_000 : undefined,
      domain: row.netlogonDomain!,
      bindMode: row.netlogonBindMode === 'search' ? 'search' : 'upn',
      searchBase: row.netlogonSearchBase ?? undefined,
      serviceAccount:
        row.netlogonServiceDn && row.netlogonServiceSecret
          ? { dn: row.netlogonServiceDn, password: this.box.open(row.netlogonServiceSecret) }
          : undefined,
      timeoutMs: row.netlogonTimeoutMs,
      allowPlainLdap: row.allowPlainLdap,
      caCertificate: row.netlogonCaCertificate ?? undefined,
    };
  }

  /** The domain controller must not be on a loopback, link-local or private address unless OUTBOUND_ALLOWED_NETWORKS allows it. */
  private async refuseDisallowedLdapHost(url: string, when: 'save' | 'connect'): Promise<void> {
    try {
      await this.outbound.resolve(new URL(url).hostname);
    } catch (error) {
      // A name that does not resolve is the bind's own "did not answer"; only a refused address stops here.
      if (!(error instanceof OutboundRefusedError)) return;
      this.logger.warn({ event: 'federation.ldap_host_refused', host: error.host, address: error.address, when }, error.message);
      throw when === 'save'
        ? new AppError(
            'outbound_not_allowed',
            'The Netlogon URL names a loopback, link-local or private address, which this installation does not allow',
            { field: 'netlogon.url' },
          )
        : new AppError('netlogon_unavailable', 'The domain controller did not answer', { reason: 'address_not_allowed' });
    }
  }

  async oidc(): Promise<OidcSettings> {
    const row = await this.repository.find();
    if (!row?.oidcIssuer || !row.oidcClientId || !row.oidcRedirectUri) {
      throw new AppError('oauth2_not_configured', 'OAuth2 is not configured');
    }
    return {
      issuer: row.oidcIssuer,
      clientId: row.oidcClientId,
      clientSecret: row.oidcClientSecret ? this.box.open(row.oidcClientSecret) : undefined,
      redirectUri: row.oidcRedirectUri,
      allowedOrigins: row.oidcAllowedOrigins,
      oauth2Domain: row.oauth2Domain,
    };
  }
}

function toView(row: SettingsRow | null): FederationSettingsView {
  return {
    netlogon: {
      url: row?.netlogonUrl ?? null,
      domain: row?.netlogonDomain ?? null,
      bindMode: row?.netlogonBindMode === 'search' ? 'search' : 'upn',
      searchBase: row?.netlogonSearchBase ?? null,
      serviceDn: row?.netlogonServiceDn ?? null,
      servicePasswordSet: Boolean(row?.netlogonServiceSecret),
      timeoutMs: row?.netlogonTimeoutMs ?? 5000,
      allowPlainLdap: row?.allowPlainLdap ?? false,
      caCertificate: row?.netlogonCaCertificate ?? null,
      fallbackUrls: row?.netlogonFallbackUrls ?? [],
      netbiosName: row?.netlogonNetbiosName ?? null,
      loginAttribute: row?.netlogonLoginAttribute === 'userPrincipalName' ? 'userPrincipalName' : 'sAMAccountName',
      requiredGroup: row?.netlogonRequiredGroup ?? null,
      maxBadPasswords: row?.netlogonMaxBadPasswords ?? DEFAULT_MAX_BAD_PASSWORDS,
      badPasswordWindowMinutes: row?.netlogonBadPasswordWindowMinutes ?? DEFAULT_BAD_PASSWORD_WINDOW_MINUTES,
    },
    oidc: {
      issuer: row?.oidcIssuer ?? null,
      clientId: row?.oidcClientId ?? null,
      clientSecretSet: Boolean(row?.oidcClientSecret),
      redirectUri: row?.oidcRedirectUri ?? null,
      allowedOrigins: row?.oidcAllowedOrigins ?? [],
      providerName: row?.oidcProviderName ?? '',
      oauth2Domain: row?.oauth2Domain ?? null,
    },
  };
}

/** A change leaves out what stays as stored (Prisma skips undefined; the check must see the stored value). */
const stripUndefined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
