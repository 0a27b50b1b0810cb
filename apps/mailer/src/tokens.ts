export const MAILER_CONFIG = Symbol('MAILER_CONFIG');
