export * from './databases';
export * from './docker';
export * from './log-capture';
export * from './nats-server';
export * from './servers';
export * from './test-env';
export * from './wait-for';
