// Loaded with `node --import`: records every module URL the process resolves, one per line, in the
// file named by SITESHIFT_IMPORT_TRACE. Lets a test say what a command loads without timing it.
import { register } from 'node:module';

const hooks = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(process.env.SITESHIFT_IMPORT_TRACE)}, resolved.url + '\\n');
  return resolved;
}`;
if (process.env.SITESHIFT_IMPORT_TRACE)
  register(`data:text/javascript,${encodeURIComponent(hooks)}`, import.meta.url);
