/**
 * Data exports (src/exports): one activity streams the user's rows through the format's writer into a stored file
 * and, in one transaction, marks the export completed with its counts and announces export.completed. A retry after
 * a crash writes the file again from the start (a half-written file is never recorded) and one that finds the
 * export completed does nothing. When the last attempt fails, the export is marked failed (export.failed).
 */
export interface ExportInput {
  exportId: string;
}

export interface ExportOutcome {
  status: 'completed' | 'failed';
  fileId: string | null;
  rows: number;
}

export interface ExportActivities {
  writeExport(input: ExportInput): Promise<ExportOutcome>;
  /** Marks the export failed and announces export.failed, when this was its last attempt (or the failure is final). */
  failExport(input: ExportInput & { error: string }): Promise<{ failed: boolean }>;
}

export async function runExport(
  input: ExportInput,
  activities: Pick<ExportActivities, 'writeExport' | 'failExport'>,
): Promise<ExportOutcome> {
  try {
    return await activities.writeExport(input);
  } catch (error) {
    await activities.failExport({ ...input, error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}
