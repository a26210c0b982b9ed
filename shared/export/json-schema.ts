import { z } from 'zod';
import { exportDocumentSchema } from './schema';

/**
 * The published JSON Schema of the export document, generated from the zod schema so that the two
 * cannot drift (a unit test compares it with the committed shared/export/export.schema.json;
 * `npm run schema:export` rewrites that file).
 */
export function exportJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(exportDocumentSchema, { target: 'draft-2020-12', io: 'input' }),
    $id: 'https://siteshift.invalid/schemas/export-v1.schema.json',
    title: 'Siteshift offline export (.siteshift.json), schema version 1',
  };
}

export function exportJsonSchemaText(): string {
  return `${JSON.stringify(exportJsonSchema(), null, 2)}\n`;
}
