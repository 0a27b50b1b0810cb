import { Injectable } from '@nestjs/common';
import { FederationConfigSetReq, FederationSettingsView } from '@gatehouse/contracts';
import { SecretBox } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { Clock } from '@gatehouse/platform';
import { NetlogonSettings } from '../netlogon/netlogon-settings';
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
      Object.assign(data, {
        netlogonUrl: n.url,
        netlogonDomain: n.domain,
        netlogonBindMode: n.bindMode,
        netlogonSearchBase: n.searchBase,
        netlogonServiceDn: n.serviceDn,
        netlogonTimeoutMs: n.timeoutMs,
        allowPlainLdap: n.allowPlainLdap,
        ...(n.servicePassword !== undefined ? { netlogonServiceSecret: this.box.seal(n.servicePassword) } : {}),
        ...(n.caCertificate !== undefined ? { netlogonCaCertificate: n.caCertificate === null ? null : parseCaCertificate(n.caCertificate, this.clock.nowMs()) } : {}),
      });
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
    return {
      url: row.netlogonUrl,
      domain: row.netlogonDomain,
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
