// Validates Flux Kustomizations (JSON on stdin) with @kubernetes-models/flux-cd, whose
// schemas are generated from Flux's CRDs. An ES module for Node 20 (ts-jest cannot load it).
import { Kustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization';

let input = '';
process.stdin.on('data', d => { input += d; });
process.stdin.on('end', () => {
  const errors = [];
  for (const doc of JSON.parse(input)) {
    try {
      new Kustomization(doc).validate();
    } catch (e) {
      errors.push(`${doc.metadata?.namespace}/${doc.metadata?.name}: ${e.message}`);
    }
  }
  process.stdout.write(JSON.stringify(errors));
});
