// Rewrites the published JSON Schema of the export document from its zod schema.
import { writeFileSync } from 'node:fs';
import { exportJsonSchemaText } from '../shared/export/json-schema';

const path = new URL('../shared/export/export.schema.json', import.meta.url);
writeFileSync(path, exportJsonSchemaText());
process.stdout.write(`wrote ${path.pathname}\n`);
