import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export type K8sDoc = Record<string, any>;
export interface SchemaResult {
  kind: string;
  name: string;
  error: string | null;
}

/** Credentials: these variables must come from a Secret, never from a literal or a ConfigMap. */
export const SECRET_NAMES = /(PASSWORD|SECRET|TOKEN|_KEY$|^DATABASE_URL$|^REDIS_URL$)/;

export function parseYaml(text: string): K8sDoc[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length) throw new Error(`YAML: ${doc.errors[0].message}`);
      return doc.toJS() as K8sDoc | null;
    })
    .filter((doc): doc is K8sDoc => doc !== null);
}

/** `kubectl kustomize <dir>` (scripts/ensure-tools.sh installs kubectl). */
export function kustomize(dir: string): K8sDoc[] {
  const result = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  if (result.error) throw new Error(`kubectl is not installed: run scripts/ensure-tools.sh (${result.error.message})`);
  if (result.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${result.stderr}`);
  return parseYaml(result.stdout);
}

/** Every document against the Kubernetes JSON schemas (kubernetes-models). */
export function validateSchemas(docs: K8sDoc[]): SchemaResult[] {
  const result = spawnSync(process.execPath, [join(__dirname, 'validate-k8s.mjs')], { input: JSON.stringify(docs), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`schema validation did not run:\n${result.stderr}`);
  return JSON.parse(result.stdout) as SchemaResult[];
}

const podSpec = (doc: K8sDoc): K8sDoc | undefined => doc.spec?.template?.spec;
const id = (doc: K8sDoc) => `${doc.kind}/${doc.metadata?.name}`;

/** What the schemas do not say but an operator expects: the rules from issue 8, one message per breach. */
export function policyProblems(docs: K8sDoc[]): string[] {
  const problems: string[] = [];
  for (const doc of docs) {
    const spec = podSpec(doc);
    if (doc.kind === 'Deployment') {
      if (spec?.securityContext?.runAsNonRoot !== true) problems.push(`${id(doc)}: pod does not set runAsNonRoot`);
      for (const container of spec?.containers ?? []) {
        const where = `${id(doc)} container ${container.name}`;
        if (!container.livenessProbe) problems.push(`${where}: no livenessProbe`);
        if (!container.readinessProbe) problems.push(`${where}: no readinessProbe`);
        for (const part of ['requests', 'limits']) {
          for (const resource of ['cpu', 'memory']) {
            if (!container.resources?.[part]?.[resource]) problems.push(`${where}: no resources.${part}.${resource}`);
          }
        }
        if (container.securityContext?.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
      }
    }
    for (const container of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
      for (const variable of container.env ?? []) {
        if (SECRET_NAMES.test(variable.name) && !variable.valueFrom?.secretKeyRef) {
          problems.push(`${id(doc)} container ${container.name}: ${variable.name} does not come from a secretKeyRef`);
        }
      }
    }
    if (doc.kind === 'ConfigMap') {
      for (const key of Object.keys(doc.data ?? {})) {
        if (SECRET_NAMES.test(key)) problems.push(`${id(doc)}: ${key} is a credential in a ConfigMap`);
      }
    }
    if (doc.kind === 'Secret') problems.push(`${id(doc)}: a Secret with values is part of the manifests`);
    if (doc.kind === 'HorizontalPodAutoscaler' || doc.kind === 'PodDisruptionBudget') {
      const target = doc.kind === 'HorizontalPodAutoscaler' ? doc.spec?.scaleTargetRef : undefined;
      if (target && !docs.some((d) => d.kind === target.kind && d.metadata?.name === target.name)) {
        problems.push(`${id(doc)}: targets ${target.kind}/${target.name}, which does not exist`);
      }
      const selector = doc.spec?.selector?.matchLabels;
      if (selector && !docs.some((d) => podSpec(d) && matches(d.spec.template.metadata?.labels, selector))) {
        problems.push(`${id(doc)}: selects no pods`);
      }
    }
  }
  return problems;
}

const matches = (labels: Record<string, string> | undefined, selector: Record<string, string>) =>
  Object.entries(selector).every(([key, value]) => labels?.[key] === value);
