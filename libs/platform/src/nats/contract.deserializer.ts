import type { ConsumerDeserializer, IncomingEvent, IncomingRequest } from '@nestjs/microservices';

/** Stands in for a payload that was not JSON; the contract pipe answers validation_failed. */
export const MALFORMED = Symbol('malformed payload');

const decoder = new TextDecoder();

/**
 * Decodes NATS messages without ever throwing. A message from a plain NATS client (not a
 * Nest packet) that expects a reply gets one: its reply subject becomes the packet id.
 */
export class ContractDeserializer implements ConsumerDeserializer {
  deserialize(value: Uint8Array, options?: { channel?: string; replyTo?: string }): IncomingRequest | IncomingEvent {
    let decoded: unknown;
    try {
      decoded = value && value.length ? JSON.parse(decoder.decode(value)) : undefined;
    } catch {
      decoded = MALFORMED;
    }
    if (isPacket(decoded)) return decoded as IncomingRequest | IncomingEvent;
    const pattern = options?.channel ?? '';
    return options?.replyTo ? { pattern, data: decoded, id: options.replyTo } : { pattern, data: decoded };
  }
}

const isPacket = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && 'pattern' in value && ('data' in value || 'id' in value);
