import { Injectable } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import { filterHomeScreen, HomeScreen, parseHomeScreen, serializeHomeScreen } from './home-screen.parser';
import { HomeScreenRepository } from './home-screen.repository';

export interface HomeScreenView extends HomeScreen {
  raw: string;
}

@Injectable()
export class HomeScreenService {
  constructor(
    private readonly screens: HomeScreenRepository,
    private readonly nats: NatsClient,
  ) {}

  /** What the user sees: items of apps they lost permission for are left out (the stored string keeps them). */
  async get(userId: string): Promise<HomeScreenView> {
    const raw = await this.screens.findRaw(userId);
    if (raw === null) throw new AppError('not_found', 'No such user');
    const allowed = await this.screens.usableAppIds(userId);
    const shown = filterHomeScreen(parseStored(raw), (app) => allowed.has(app));
    return { raw: serializeHomeScreen(shown), groups: shown.groups };
  }

  async set(userId: string, input: { raw?: string; groups?: HomeScreen['groups'] }): Promise<HomeScreenView> {
    const raw = input.raw !== undefined ? input.raw : serializeHomeScreen({ groups: input.groups ?? [] });
    const parsed = parseHomeScreen(raw);
    if (!(await this.screens.saveRaw(userId, raw))) throw new AppError('not_found', 'No such user');
    await this.nats.emit('directory.homescreen.changed', { userId, raw });
    return { raw, groups: parsed.groups };
  }
}

// A stored string was validated on write; an unreadable one shows as empty rather than failing every read.
function parseStored(raw: string): HomeScreen {
  try {
    return parseHomeScreen(raw);
  } catch {
    return { groups: [] };
  }
}
