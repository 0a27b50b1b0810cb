const BROWSERS: [RegExp, string][] = [
  [/Edg\//, 'Edge'],
  [/OPR\//, 'Opera'],
  [/Firefox\//, 'Firefox'],
  [/Chrom(e|ium)\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];
const SYSTEMS: [RegExp, string][] = [
  [/Android/, 'Android'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

const firstMatch = (ua: string, table: [RegExp, string][]) => table.find(([pattern]) => pattern.test(ua))?.[1];

/** How this browser names itself in "Account security" and in approval dialogs, e.g. "Chrome on Linux". */
export function thisDevice(): { name: string; platform: string } {
  const ua = navigator.userAgent;
  const browser = firstMatch(ua, BROWSERS) ?? 'Browser';
  const system = firstMatch(ua, SYSTEMS);
  return { name: system ? `${browser} on ${system}` : browser, platform: 'web' };
}
