import { Injectable } from '@nestjs/common';
import { HomeScreenView, HomeScreenSubjects } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import { UserAppsService } from '../user-apps/user-apps.service';
import { filterHomeScreen, HomeScreen, parseHomeScreen, serializeHomeScreen } from './home-screen.parser';
import { HomeScreenRepository } from './home-screen.repository';

export interface HomeScreenScope {
  /** Only a user of this domain is found (domain admins). */
  domain?: string;
}

@Injectable()
export class HomeScreenService {
  constructor(
    private readonly screens: HomeScreenRepository,
    private readonly userApps: UserAppsService,
    private readonly nats: NatsClient,
  ) {}

  /** What the user sees: items of apps they lost permission for are left out (the stored string keeps them). */
  async get(userId: string, scope: HomeScreenScope & { stored?: boolean } = {}): Promise<HomeScreenView> {
    const raw = await this.screens.findRaw(userId, scope.domain);
    if (raw === null) throw new AppError('not_found', 'No such user');
    const stored = parseStored(raw);
    return scope.stored ? { raw: serializeHomeScreen(stored), groups: stored.groups } : this.shown(userId, stored);
  }

  /** Saves either form; every socket of the user hears `homescreen.changed` with what the user now sees. Answers the user's domain too. */
  async set(
    userId: string,
    input: { raw?: string; groups?: HomeScreen['groups'] },
    scope: HomeScreenScope = {},
  ): Promise<HomeScreenView & { domain: string }> {
    const raw = input.raw !== undefined ? input.raw : serializeHomeScreen({ groups: input.groups ?? [] });
    const parsed = parseHomeScreen(raw);
    // One statement writes and reads the user's apps, which the event's shown items need (issue 23: push latency).
    const saved = await this.screens.saveRaw(userId, raw, scope.domain);
    if (saved === null) throw new AppError('not_found', 'No such user');
    await this.nats.emit(HomeScreenSubjects.homeScreenChanged, { userId, ...shownOf(parsed, new Set(saved.usableAppIds)) });
    return { raw, groups: parsed.groups, domain: saved.domain };
  }

  private async shown(userId: string, screen: HomeScreen): Promise<HomeScreenView> {
    return shownOf(screen, await this.userApps.usableIds(userId));
  }
}

function shownOf(screen: HomeScreen, allowed: Set<string>): HomeScreenView {
  const shown = filterHomeScreen(screen, (app) => allowed.has(app));
  return { raw: serializeHomeScreen(shown), groups: shown.groups };
}

// A stored string was validated on write; an unreadable one shows as empty rather than failing every read.
function parseStored(raw: string): HomeScreen {
  try {
    return parseHomeScreen(raw);
  } catch {
    return { groups: [] };
  }
}
