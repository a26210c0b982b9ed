import { join } from 'node:path';
import type { Command } from 'commander';
import { defaultDataDir } from '../../core/console/data-dir';
import { parseListenPort } from '../options';

export function registerWeb(program: Command): void {
  program
    .command('web')
    .description('serve the console in a browser on 127.0.0.1 (npm run start:web)')
    .option('--port <port>', 'TCP port (default: a free one)', parseListenPort, 0)
    .option('--data <dir>', 'folder for saved connections, settings and logs', defaultDataDir())
    .option('--renderer <dir>', 'built renderer folder', 'dist/renderer')
    .option('--no-lab', 'do not open the embedded lab when there are no saved connections')
    .action(async (opts: { port: number; data: string; renderer: string; lab: boolean }) => {
      // Loaded here, not at the top: the other commands need not pay for the server and PGlite.
      const [
        { ConsoleBackend },
        { realConnectors },
        { webHostSettings },
        { startWebHost },
        { startConsoleLabServer },
        { createLogger, logCrashes },
      ] = await Promise.all([
        import('../../core/console/backend'),
        import('../../core/connectors'),
        import('../../core/console/secret-storage'),
        import('../../core/console/webhost'),
        import('../../server/lab/console'),
        import('../../core/log'),
      ]);
      const logsDir = join(opts.data, 'logs');
      const logger = await createLogger({ dir: logsDir, name: 'web' });
      logCrashes(logger, logsDir, 'web', (code) => process.exit(code));
      const { vault, settingsHost, follow } = webHostSettings(opts.data, logsDir);
      const backend = new ConsoleBackend({
        dataDir: opts.data,
        vault,
        host: 'web',
        connectors: realConnectors,
        lab: opts.lab ? {} : false,
        startLabServer: startConsoleLabServer,
        settingsHost,
      });
      follow(await backend.settings.get());
      backend.warmUp();
      const host = await startWebHost({ backend, port: opts.port, rendererDir: opts.renderer, logger });
      process.stdout.write(`Siteshift console: ${host.url}\n`);
      await new Promise<void>((resolveStop) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          logger.info('web host stopping');
          void host
            .close()
            .then(() => backend.close())
            .finally(resolveStop);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
