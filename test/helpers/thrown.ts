/** What `run` throws, or undefined: for asserting on the error itself (its class, status, message). */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
