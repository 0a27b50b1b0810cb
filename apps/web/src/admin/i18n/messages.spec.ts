import { readdirSync } from 'node:fs';
import en from './en';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe("the console's words in every language", () => {
  const languages = readdirSync(__dirname)
    .filter((file) => /^[a-z]{2}\.ts$/.test(file) && file !== 'en.ts')
    .map((file) => file.slice(0, 2));

  it('has the ten languages besides English', () => {
    expect(languages.sort()).toEqual(['cs', 'de', 'es', 'fr', 'it', 'nl', 'pl', 'pt', 'ru', 'sl']);
  });

  it.each(languages)('%s: every key of English, with the same placeholders, none left empty', async (language) => {
    const messages = ((await import(`./${language}`)) as { default: Record<string, string> }).default;
    expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      expect([key, placeholders(messages[key]!)]).toEqual([key, placeholders(text)]);
      expect(messages[key]!.trim()).not.toBe('');
    }
  });
});
