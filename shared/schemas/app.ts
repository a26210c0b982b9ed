import { z } from 'zod';

export const appInfoSchema = z.object({
  name: z.literal('Siteshift'),
  version: z.string(),
  /** Which host serves the API: the Electron main process or the web host. */
  host: z.enum(['electron', 'web', 'test']),
  platform: z.string(),
  /** True while the embedded lab is the active estate. */
  lab: z.boolean(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/**
 * Commands from the desktop shell's application menu (and from a second launch or an OS file
 * association, which hand over a file to open). The renderer acts on them; the web host has no
 * menu and never sends them.
 */
export const appCommandSchema = z.discriminatedUnion('command', [
  /** Open an exported topology; `path` is set when the OS or a second launch handed one over. */
  z.strictObject({ command: z.literal('open-export'), path: z.string().min(1).optional() }),
  z.strictObject({ command: z.literal('export') }),
  /** Show what changed between two exports; `paths` when the shell's file dialog picked them. */
  z.strictObject({
    command: z.literal('compare-exports'),
    paths: z.array(z.string().min(1)).max(10).optional(),
  }),
  z.strictObject({ command: z.literal('settings') }),
  z.strictObject({ command: z.literal('keyboard-shortcuts') }),
]);
export type AppCommand = z.infer<typeof appCommandSchema>;
