import { Injectable } from '@nestjs/common';
import { RegisteredOrigin, WebOriginsSubjects } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';

/** How long one read of the registered origins is used; a change made through this gateway applies at once. */
const CACHE_MS = 5000;

/**
 * The web origins registered in the app registry (issue 19): the origin of each app object's URL
 * plus the extra origins an admin lists on an app. CORS, the hosted login page and the origin
 * binding of a login ask here; the list is read from `directory` at most every five seconds.
 */
@Injectable()
export class WebOrigins {
  private cached?: { at: number; byOrigin: Map<string, RegisteredOrigin[]> };
  private loading?: Promise<Map<string, RegisteredOrigin[]>>;

  constructor(private readonly nats: NatsClient) {}

  /** Every registration of the origin (one per app, in any domain); empty when it has none. */
  async registrations(origin: string): Promise<RegisteredOrigin[]> {
    return (await this.all()).get(origin) ?? [];
  }

  /** True when some app of some domain registers the origin (CORS and the login page's frame-ancestors). */
  async isRegistered(origin: string): Promise<boolean> {
    return (await this.registrations(origin)).length > 0;
  }

  /** The registration for the user's domain (the shortest token lifetime when several apps share the origin). */
  async forDomain(origin: string, domain: string): Promise<RegisteredOrigin | undefined> {
    const inDomain = (await this.registrations(origin)).filter((entry) => entry.domain === domain);
    return inDomain.sort((a, b) => a.tokenLifetimeHours - b.tokenLifetimeHours)[0];
  }

  invalidate(): void {
    this.cached = undefined;
  }

  private async all(): Promise<Map<string, RegisteredOrigin[]>> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.byOrigin;
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async load(): Promise<Map<string, RegisteredOrigin[]>> {
    const { origins } = await this.nats.send(WebOriginsSubjects.list, {}, { retries: 1 });
    const byOrigin = new Map<string, RegisteredOrigin[]>();
    for (const entry of origins) byOrigin.set(entry.origin, [...(byOrigin.get(entry.origin) ?? []), entry]);
    this.cached = { at: Date.now(), byOrigin };
    return byOrigin;
  }
}
