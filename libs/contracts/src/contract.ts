import { z } from 'zod';

/** A request subject: what the caller sends and what the handler replies. */
export interface RequestContract<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  kind: 'request';
  req: Req;
  res: Res;
}

/** An event subject: published to everyone interested, no reply. */
export interface EventContract<Payload extends z.ZodType = z.ZodType> {
  kind: 'event';
  payload: Payload;
}

export type ContractMap = Record<string, RequestContract | EventContract>;

export const request = <Req extends z.ZodType, Res extends z.ZodType>(req: Req, res: Res): RequestContract<Req, Res> => ({
  kind: 'request',
  req,
  res,
});

export const event = <Payload extends z.ZodType>(payload: Payload): EventContract<Payload> => ({ kind: 'event', payload });
