import type { Readable } from 'node:stream';
import type { FilesConfig } from '../config.js';
import { localStorage } from './local-storage.js';
import { s3Storage } from './s3-storage.js';

/** Bytes `start` to `end` of an object, both included (as HTTP ranges count them). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where file contents live: a folder or an S3-compatible bucket, behind one port so the services never know which.
 * Every method streams; nothing holds a whole file in memory.
 */
export interface FileStorage {
  readonly kind: 'local' | 's3';
  /** Stores the stream under `key`. When the stream fails (too large, client gone) nothing is left behind. */
  put(key: string, body: Readable, contentType: string): Promise<void>;
  /** The object's bytes, or the range of them; NotFound when there is no such object. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** The object's size, or null when there is no such object. */
  head(key: string): Promise<{ size: number } | null>;
  /** Removes the object; removing one that is not there is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Removes what unfinished writes left: a process killed mid-write leaves its partial file (local; swept when last
   * written before `before`) or its incomplete multipart upload (S3, billed until aborted; swept when started before
   * `before`). Answers how many went.
   */
  sweepAbandoned(before: Date): Promise<number>;
  close(): Promise<void>;
}

/** Keys are made by the server (`<workspaceId>/<fileId>`); anything else is a bug, never a path to follow. */
const KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_.-]+)*$/;

export function assertStorageKey(key: string): void {
  if (!KEY.test(key) || key.split('/').some((part) => part === '.' || part === '..')) throw new Error(`invalid storage key "${key}"`);
}

/** The storage the settings name: the S3 bucket when S3_BUCKET is set, the files folder otherwise. */
export function openStorage(config: FilesConfig): FileStorage {
  return config.s3 ? s3Storage(config.s3) : localStorage(config.dir);
}
