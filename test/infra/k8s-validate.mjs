// Validates Kubernetes manifests with kubernetes-models (ESM only, hence a child process of the
// Jest spec). stdin: a JSON array of manifests; stdout: [{ kind, name, validated, error }], where
// validated is false for kinds kubernetes-models does not know (e.g. Strimzi's custom resources).
import { text } from 'node:stream/consumers';

const docs = JSON.parse(await text(process.stdin));
const results = [];
for (const doc of docs) {
  const result = { apiVersion: doc.apiVersion, kind: doc.kind, name: doc.metadata?.name, validated: false, error: null };
  let Model;
  try {
    Model = (await import(`kubernetes-models/${doc.apiVersion}`))[doc.kind];
  } catch {
    Model = undefined;
  }
  if (Model) {
    result.validated = true;
    try {
      new Model(doc).validate();
    } catch (e) {
      result.error = e.message;
    }
  }
  results.push(result);
}
process.stdout.write(JSON.stringify(results));
