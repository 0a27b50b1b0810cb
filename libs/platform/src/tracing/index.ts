export * from './tracing';
export * from './nats-tracing';
