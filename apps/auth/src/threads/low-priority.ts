/**
 * The first lines of every hashing worker's source (argon2id and OPAQUE's key stretching): the worker gives
 * its own thread the lowest CPU priority Linux has (the policy is per thread): SCHED_IDLE through util-linux's
 * `chrt`, nice 19 where that is refused or missing. A SCHED_IDLE thread runs only on a core nothing else wants,
 * is preempted at once by any normal thread that wakes, and the kernel places waking threads on its core as if
 * it were idle; nice 19 only weighs it down. So hashing uses every spare cycle, yet token checks stay fast while
 * logins saturate the machine (bench/login.ts). The worker's first message is `{ priority }`, which the pool logs.
 */
export const LOW_PRIORITY_PRELUDE = `
const { parentPort, workerData } = require('node:worker_threads');
let priority = 'normal';
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  require('node:os').setPriority(tid, 19);
  priority = 'nice 19';
  require('node:child_process').execFileSync('chrt', ['--idle', '-p', '0', String(tid)], { stdio: 'ignore', timeout: 5000 });
  priority = 'SCHED_IDLE';
} catch {}
parentPort.postMessage({ priority });
`;

/** Collects the priority each of `count` workers reports and calls `said` once with them all (e.g. "SCHED_IDLE"). */
export function onPriorities(count: number, said: (priority: string) => void): (priority: string) => void {
  const priorities: string[] = [];
  return (priority) => {
    if (priorities.push(priority) === count) said([...new Set(priorities)].join(', '));
  };
}
