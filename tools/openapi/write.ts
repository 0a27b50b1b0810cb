// Writes the OpenAPI document of the public API, made from the route declarations, for `npm run openapi:lint`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { apiRoutes, openApiDocument } from '@gatehouse/contracts';

const target = resolve(process.argv[2] ?? 'dist/openapi.json');
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, `${JSON.stringify(openApiDocument(apiRoutes), null, 2)}\n`);
console.log(`OpenAPI document: ${Object.keys(apiRoutes).length} routes → ${target}`);
