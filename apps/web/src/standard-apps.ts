/**
 * The user's standard app per client API (seed 000, "Client APIs and default apps"): kept on this
 * browser only, so each device may have its own.
 */
const KEY = 'gatehouse-standard-apps';

export function standardApps(): Record<string, string> {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? '{}') as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {};
  }
}

export const standardApp = (api: string): string | undefined => (Object.hasOwn(standardApps(), api) ? standardApps()[api] : undefined);

export function setStandardApp(api: string, appId: string | undefined): void {
  const apps = standardApps();
  if (appId === undefined) delete apps[api];
  else apps[api] = appId;
  localStorage.setItem(KEY, JSON.stringify(apps));
}
