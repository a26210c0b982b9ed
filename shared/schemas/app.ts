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
