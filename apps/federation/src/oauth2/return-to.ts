import { AppError } from '@gatehouse/errors';

/** Only absolute http(s) URLs on a configured client origin: the callback must not be an open redirect. */
export function checkReturnTo(returnTo: string, allowedOrigins: string[]): string {
  const url = URL.canParse(returnTo) ? new URL(returnTo) : undefined;
  if (!url || !/^https?:$/.test(url.protocol) || url.username || url.password || !allowedOrigins.includes(url.origin)) {
    throw new AppError('return_to_not_allowed', 'returnTo is not on an allowed client origin');
  }
  return url.toString();
}
