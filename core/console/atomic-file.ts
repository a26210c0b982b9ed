import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/**
 * Replaces a file so that a crash at any moment leaves either the old or the new content:
 * write-file-atomic writes a temporary file beside it, fsyncs it and renames it into place (and
 * serialises concurrent writes to one file); the folder is then fsynced so that the rename itself
 * survives a power cut (write-file-atomic does not do that part).
 */
export async function writeFileDurably(path: string, data: string, mode = 0o600): Promise<void> {
  await writeFileAtomic(path, data, { mode, fsync: true });
  if (process.platform === 'win32') return; // folders cannot be opened for fsync on Windows
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
