import { Writable } from 'node:stream';

/** Collects JSON log lines in memory so a test can read what a service logged. */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];

  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        this.lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        this.lines.push({ raw: line });
      }
    }
    callback();
  }

  where(match: Record<string, unknown>): Record<string, unknown>[] {
    return this.lines.filter((line) => Object.entries(match).every(([key, value]) => line[key] === value));
  }
}
