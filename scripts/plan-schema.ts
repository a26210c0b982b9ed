import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { planJsonSchema } from '../shared/configserver/plan';

// Writes the plan file's JSON Schema beside the zod schema it is generated from.
const out = fileURLToPath(new URL('../shared/configserver/plan.schema.json', import.meta.url));
writeFileSync(out, `${JSON.stringify(planJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${out}\n`);
