// Waiting in tests. Where something signals (a socket frame, a DOM event, a process's output line, a child's
// exit) tests wait for that. waitFor is for a condition nothing signals: a file another process writes, a
// window another process opens, a port that starts answering. Neither waits a fixed time.

/** How often waitFor looks again: a poll of the condition, not a pause the test relies on. */
const POLL_MS = 20;

/**
 * Resolves with the first truthy value of `condition` (which may be async, and may throw while the thing
 * is not there yet: that counts as false). `timeoutMs` only bounds a test that is going to fail.
 */
export async function waitFor<T>(condition: () => T | Promise<T>, what: string, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Waits for something that signals (a promise) but fails with `what` instead of hanging when the signal
 * never comes: a lost event makes the test fail with its name, not the run stop at the CI limit.
 */
export async function within<T>(signal: Promise<T>, what: string, timeoutMs = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up waiting for ${what} after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([signal, expired]);
  } finally {
    clearTimeout(timer);
  }
}
