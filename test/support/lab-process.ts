import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

export interface LabProcess {
  child: ChildProcess;
  /** The console's address, as the lab prints it. */
  url: string;
  /** Stops the lab and removes its data folder. */
  stop(): Promise<void>;
}

/**
 * `siteshift lab --web …` started as a whole process, as an operator starts it, for the UI
 * benchmark and the README's screenshots. Its console keeps settings, connections and logs in a
 * data folder of its own (SITESHIFT_DATA_DIR; the CLI's log follows it), never the operator's
 * ~/.config/siteshift, and stop() removes that folder. Pass --memory: the lab's database then
 * stays off disk too.
 */
export async function startLabProcess(
  args: readonly string[],
  {
    cli = resolve(root, 'bin/siteshift.mjs'),
    log = () => {},
  }: {
    /** The CLI to run (a benchmark runs the bundle: test/bench/cli.ts). */
    cli?: string;
    /** Gets what the lab writes to stderr (its progress and errors); dropped unless given. */
    log?: (text: string) => void;
  } = {},
): Promise<LabProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'siteshift-lab-run-'));
  const child = spawn(process.execPath, [cli, 'lab', '--web', ...args], {
    cwd: root,
    env: { ...process.env, SITESHIFT_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((ok, fail) => {
      let out: string | null = '';
      // Read to the end, kept only until the address: a pipe left unread would stall the lab.
      const onData = (chunk: Buffer) => {
        if (out === null) return;
        out += chunk.toString();
        const match = /console (http:\/\/\S+)/.exec(out);
        if (match) {
          out = null;
          ok(match[1]!);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (chunk: Buffer) => {
        log(chunk.toString());
        onData(chunk);
      });
      child.once('exit', (code) =>
        fail(new Error(`siteshift lab exited (${code}) before serving the console:\n${out}`)),
      );
    });
    return { child, url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
