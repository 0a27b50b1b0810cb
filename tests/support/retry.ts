/**
 * A browser on a busy 2-core machine now and then misses a step's deadline: a failed test runs again, at most
 * twice more, and the first failure is still printed. The retry runs at once, in the state the test was written
 * for: Jest's default runs it after the rest of the file, when later tests have changed that state (e.g. a
 * throttle test has locked the address, and the retry of an earlier sign-in then gets 429, not its own answer).
 * Call at the top of a file whose tests drive a browser.
 */
export function retryBrowserSteps(): void {
  jest.retryTimes(2, { logErrorsBeforeRetry: true, retryImmediately: true });
}
