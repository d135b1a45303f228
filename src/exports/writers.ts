import { stringify } from 'csv-stringify/sync';
import type { ExportFormat, ExportKind } from './export-options.js';
import type { ExportRow } from './export-rows.js';
import { fhirWriter } from './fhir.js';
import { omhWriter } from './omh.js';

/** What a file says about the export it holds (the JSON document's "export" object; the FHIR Bundle's id and Patient). */
export interface ExportMeta {
  exportId: string;
  userId: string;
  externalId: string;
  timezone: string;
  from: string | null;
  to: string | null;
  types: ExportKind[];
  metricTypes: string[];
  createdAt: string;
}

/** A row the format has no place for, with the reason (counted in the export's skipped). */
export interface Skip {
  skip: string;
}

/**
 * A format writer: text pieces in file order. The driver (export-file.ts) calls begin, then for each kind asked
 * startKind, page (a page of rows at a time), endKind, and at last end. Writers keep no more than a row's state
 * (Open mHealth pairs blood-pressure readings of one instant).
 */
export interface FormatWriter {
  begin(meta: ExportMeta): string;
  startKind(kind: ExportKind): string;
  /** The text of a page, and for each row left out its reason. */
  page(rows: ExportRow[], skipped: (row: ExportRow, reason: string) => void): string;
  endKind(kind: ExportKind, skipped: (row: ExportRow, reason: string) => void): string;
  end(): string;
}

function jsonWriter(): FormatWriter {
  let first = true;
  return {
    begin: (meta) => `{"export":${JSON.stringify(meta)}`,
    startKind: (kind) => {
      first = true;
      return `,${JSON.stringify(kind)}:[`;
    },
    page: (rows) => {
      let text = '';
      for (const row of rows) {
        text += (first ? '\n' : ',\n') + JSON.stringify(row);
        first = false;
      }
      return text;
    },
    endKind: () => ']',
    end: () => '}\n',
  };
}

function ndjsonWriter(): FormatWriter {
  return {
    begin: () => '',
    startKind: () => '',
    page: (rows) => rows.map((row) => `${JSON.stringify(row)}\n`).join(''),
    endKind: () => '',
    end: () => '',
  };
}

/** The CSV header: one file for every kind, told apart by the kind column; details holds the rest as JSON. */
export const CSV_COLUMNS = ['kind', 'id', 'type', 'start', 'end', 'value', 'unit', 'source', 'device', 'details'] as const;

function csvWriter(): FormatWriter {
  return {
    begin: () => stringify([CSV_COLUMNS as unknown as string[]]),
    startKind: () => '',
    page: (rows) =>
      stringify(
        rows.map((row) => [
          row.kind,
          row.id,
          row.type,
          row.start,
          row.end ?? '',
          row.value ?? '',
          row.unit ?? '',
          row.source ?? '',
          row.device ?? '',
          Object.keys(row.details).length ? JSON.stringify(row.details) : '',
        ]),
      ),
    endKind: () => '',
    end: () => '',
  };
}

export function formatWriter(format: ExportFormat): FormatWriter {
  switch (format) {
    case 'json':
      return jsonWriter();
    case 'ndjson':
      return ndjsonWriter();
    case 'csv':
      return csvWriter();
    case 'fhir':
      return fhirWriter();
    case 'omh':
      return omhWriter();
  }
}
