// Validates Kubernetes documents (a JSON array on stdin) against the API's JSON schemas, offline,
// with kubernetes-models (ES modules only, hence a child process rather than inside Jest).
// Prints a JSON array: one { kind, name, error } per document, error null when valid.
import { readFileSync } from 'node:fs';

const docs = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const doc of docs) {
  const kind = doc?.kind;
  const name = doc?.metadata?.name;
  let error = null;
  if (typeof doc?.apiVersion !== 'string' || typeof kind !== 'string') {
    error = 'apiVersion and kind are required';
  } else {
    // "apps/v1" -> kubernetes-models/apps/v1/Deployment; "v1" -> kubernetes-models/v1/Service
    const module = `kubernetes-models/${doc.apiVersion}/${kind}`;
    try {
      const Model = (await import(module))[kind];
      new Model(doc).validate();
    } catch (e) {
      error =
        e?.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' || e?.code === 'ERR_MODULE_NOT_FOUND'
          ? `no schema for ${doc.apiVersion} ${kind}`
          : String(e?.message ?? e);
    }
  }
  results.push({ kind, name, error });
}
process.stdout.write(JSON.stringify(results));
