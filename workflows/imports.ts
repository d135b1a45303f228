/**
 * The dataImport orchestration (src/imports): one activity reads the uploaded file and stores what it holds through
 * the ingestion service, batch by batch, resuming after the last stored batch when it is run again (a killed server
 * or worker, a database hiccup: the engine retries it). When it gives up, failImport marks the import failed and
 * announces import.failed. Deterministic: it only calls activities.
 */
export interface ImportInput {
  importId: string;
}

export interface ImportOutcome {
  status: 'completed' | 'failed' | 'gone';
  error?: string | null;
}

export interface ImportActivities {
  /** Reads the file and stores it; completed (import.completed) or failed for a file that is not what it should be. */
  runImport(input: ImportInput): Promise<ImportOutcome>;
  /** After the engine's last attempt failed: the import is failed with the error (import.failed), unless it completed. */
  failImport(input: ImportInput & { error: string }): Promise<ImportOutcome>;
}

export async function runDataImport(
  input: ImportInput,
  activities: Pick<ImportActivities, 'runImport' | 'failImport'>,
): Promise<ImportOutcome> {
  try {
    return await activities.runImport(input);
  } catch (error) {
    // Temporal wraps an activity's error (ActivityFailure → cause); the local runner throws it as it is.
    const cause = (error as { cause?: { message?: unknown } }).cause;
    const message = typeof cause?.message === 'string' ? cause.message : error instanceof Error ? error.message : String(error);
    return activities.failImport({ ...input, error: message });
  }
}
