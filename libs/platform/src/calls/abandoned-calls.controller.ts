import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CallSubjects, EventOf } from '@gatehouse/contracts';
import { EventHandler } from '../nats/rpc-handler.decorator';
import { AbandonedCalls } from './abandoned-calls';

/** Every replica hears the gateway's abandoned calls (no queue group): whichever holds the call's work drops it. */
@Controller()
export class AbandonedCallsController {
  constructor(private readonly calls: AbandonedCalls) {}

  @EventHandler(CallSubjects.abandoned)
  abandoned(@Payload() event: EventOf<'gateway.call.abandoned'>): void {
    this.calls.abandon(event.callId);
  }
}
