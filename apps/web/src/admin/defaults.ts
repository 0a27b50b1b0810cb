import type { Reply } from '../api';

type Values = Record<string, unknown>;
/** What a default may be: text, a number, true, false or null. */
type DefaultValue = Reply<'GET /admin/config/myapps'>['defaults'][string];

/** Text that would read back as something else (a number, true/false/null, or a quoted string) is written quoted. */
const AMBIGUOUS = /^(true|false|null|-?\d+(\.\d+)?|".*")$/;

/**
 * myApps client defaults (`{ theme: "dark", retries: 3 }`) as the console edits them: one `name = value`
 * line each. Numbers, true, false and null are written bare; text is written as is unless it would read back as one of those.
 */
export function formatDefaults(defaults: Values): string {
  return Object.entries(defaults)
    .map(([name, value]) => `${name} = ${typeof value === 'string' && !AMBIGUOUS.test(value) ? value : JSON.stringify(value)}`)
    .join('\n');
}

/** The lines back into defaults; a line without `=` names a default with empty text (the server judges names and values). */
export function parseDefaults(text: string): Record<string, DefaultValue> {
  const defaults: Record<string, DefaultValue> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const at = line.indexOf('=');
    const name = (at < 0 ? line : line.slice(0, at)).trim();
    const raw = at < 0 ? '' : line.slice(at + 1).trim();
    defaults[name] = AMBIGUOUS.test(raw) ? parseJson(raw) : raw;
  }
  return defaults;
}

/** `raw` matched AMBIGUOUS: a number, true, false, null or a quoted string. */
function parseJson(raw: string): DefaultValue {
  try {
    return JSON.parse(raw) as DefaultValue;
  } catch {
    return raw;
  }
}
