import { Controller, OnModuleInit } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApprovalSubjects, EventOf } from '@gatehouse/contracts';
import { EventHandler, NatsClient } from '@gatehouse/platform';
import { SocketHub } from '../ws/socket-hub.service';

/**
 * Every gateway hears approval events (no queue group) and pushes them to the sockets it holds: the
 * user's signed-in devices get `approval.requested`, the waiting device (and the user's other
 * dialogs) get `approval.decided`.
 */
@Controller()
export class ApprovalEventsController implements OnModuleInit {
  constructor(
    private readonly hub: SocketHub,
    private readonly nats: NatsClient,
  ) {}

  onModuleInit(): void {
    // The waiting device's socket: `{ type: "pending", pendingId, pollToken }`.
    this.hub.registerFirstMessage('pending', async ({ pendingId, pollToken }) => {
      await this.nats.send(ApprovalSubjects.verifyPoll, { pendingId, pollToken });
      return { keys: [`pending:${pendingId}`] };
    });
  }

  @EventHandler(ApprovalSubjects.requested)
  requested(@Payload() event: EventOf<'auth.approval.requested'>): void {
    this.hub.pushToUser(event.userId, { type: 'approval.requested', ...event.approval });
  }

  @EventHandler(ApprovalSubjects.decided)
  decided(@Payload() event: EventOf<'auth.approval.decided'>): void {
    const message = { type: 'approval.decided' as const, pendingId: event.pendingId, status: event.status };
    this.hub.pushToKey(`pending:${event.pendingId}`, message);
    this.hub.pushToUser(event.userId, message);
  }
}
