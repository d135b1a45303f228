import type { EventInput } from '../events/event-input.js';
import type { SampleInput } from '../health/sample-input.js';

/** The formats an import reads. */
export const IMPORT_FORMATS = ['apple_health', 'fit', 'gpx', 'tcx'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * What a parser makes of one record of a file (an Apple Health Record or Workout element, a FIT file's messages, a
 * trackpoint): samples and events for the ingestion service, or why nothing came of it. A parser yields one per record
 * read, in file order, so a retried run can skip the records its earlier attempt already stored.
 */
export interface ImportRecord {
  samples?: SampleInput[];
  events?: EventInput[];
  /** A record of a type the import does not map: counted by type. */
  skipped?: string;
  /** A record the parser could not read (a bad date, a missing value): counted by reason. */
  rejected?: { type: string; reason: string };
  /** Where the file's samples and events are stored: yielded before the first of them. */
  origin?: { source: string; device: string };
  /** Not a record of the file: what the parser held until the end (the last sleep sessions). Not counted as read. */
  flush?: boolean;
}

/** A file that is not what its format says: the import fails with this message (not retried). */
export class MalformedFile extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedFile';
  }
}
