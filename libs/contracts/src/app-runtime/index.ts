export * from './app-protocol';
