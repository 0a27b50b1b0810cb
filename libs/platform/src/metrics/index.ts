export * from './metrics';
export * from './http-metrics';
