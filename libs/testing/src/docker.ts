import { spawnSync } from 'node:child_process';

let answer: boolean | undefined;

/** Whether a Docker engine answers here (the client alone is not enough). */
export function dockerRuns(): boolean {
  if (process.env.GATEHOUSE_TEST_DOCKER === '0') return false;
  answer ??= spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 }).status === 0;
  return answer;
}
