export * from './app-login';
