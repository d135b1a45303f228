import { PassThrough, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { FileStorage } from '../files/storage.js';
import { MalformedFile } from './import-record.js';

/**
 * yauzl reads a zip from its end (the central directory) and then each entry's bytes: this reader serves those
 * reads as ranged reads of the stored object, so an export.zip is never unzipped to disk or memory — only the
 * chosen entry is inflated, as a stream.
 */
class StorageReader extends yauzl.RandomAccessReader {
  constructor(
    private readonly storage: FileStorage,
    private readonly key: string,
  ) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const out = new PassThrough();
    if (end <= start) {
      out.end();
      return out;
    }
    this.storage.get(this.key, { start, end: end - 1 }).then(
      (body) => {
        body.on('error', (error) => out.destroy(error));
        body.pipe(out);
      },
      (error: Error) => out.destroy(error),
    );
    return out;
  }
}

/** The entry of an Apple Health export.zip that holds the data (not export_cda.xml, the clinical summary). */
export function isAppleHealthXml(name: string): boolean {
  return /(^|\/)export\.xml$/.test(name) || /(^|\/)(Export|Exportar|Exporter|Exportieren)\.xml$/i.test(name);
}

/** Streams the entry of the zip stored under `key` whose name `wanted` accepts; MalformedFile when none. */
export async function openZipEntry(storage: FileStorage, key: string, size: number, wanted: (name: string) => boolean): Promise<Readable> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromRandomAccessReader(new StorageReader(storage, key), size, { lazyEntries: true, autoClose: false }, (error, zipFile) =>
      error ? reject(new MalformedFile(`the zip file cannot be read: ${error.message}`)) : resolve(zipFile),
    ),
  );
  return new Promise<Readable>((resolve, reject) => {
    zip.on('error', (error: Error) => reject(new MalformedFile(`the zip file cannot be read: ${error.message}`)));
    zip.on('end', () => {
      zip.close();
      reject(new MalformedFile('the zip file has no apple_health_export/export.xml entry'));
    });
    zip.on('entry', (entry: yauzl.Entry) => {
      if (!wanted(entry.fileName)) {
        zip.readEntry();
        return;
      }
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(new MalformedFile(`the zip entry ${entry.fileName} cannot be read: ${error.message}`));
        stream.on('end', () => zip.close());
        stream.on('error', () => zip.close());
        resolve(stream);
      });
    });
    zip.readEntry();
  });
}
