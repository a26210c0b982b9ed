import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every test process, and every `siteshift` a test spawns, keeps its state (the CLI's log, saved
 * connections, settings) in a folder of this run, never in the user's ~/.config/siteshift. A test
 * that needs its own folder still sets SITESHIFT_DATA_DIR itself.
 */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'siteshift-test-data-'));
  process.env.SITESHIFT_DATA_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
