import { Injectable } from '@nestjs/common';
import { PresenceStatus, type PresenceView, PresenceSubjects } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import { PresenceRepository } from './presence.repository';

/** The user's own presence: kept here, told to every session and app of the user on a change. */
@Injectable()
export class PresenceService {
  constructor(
    private readonly presence: PresenceRepository,
    private readonly nats: NatsClient,
  ) {}

  async get(userId: string): Promise<PresenceView> {
    const row = await this.presence.find(userId);
    if (row === null) throw new AppError('not_found', 'No such user');
    return view(row);
  }

  async set(userId: string, status: PresenceView['status'], note = ''): Promise<PresenceView> {
    if (!(await this.presence.save(userId, status, note))) throw new AppError('not_found', 'No such user');
    const presence = view({ status, note });
    await this.nats.emit(PresenceSubjects.presenceChanged, { userId, presence });
    return presence;
  }
}

function view(row: { status: string; note: string } | undefined): PresenceView {
  // A status this release does not know (written by a newer one) reads as available.
  const status = PresenceStatus.safeParse(row?.status).data ?? 'available';
  return row?.note ? { status, note: row.note } : { status };
}
