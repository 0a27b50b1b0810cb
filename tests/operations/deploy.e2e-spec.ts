import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { K8sDoc, kustomize, parseYaml, policyProblems, validateSchemas } from './support/manifests';

const deploy = join(__dirname, '..', '..', 'deploy');
const services = ['gateway', 'auth', 'sessions', 'directory', 'federation', 'mailer'];
const find = (docs: K8sDoc[], kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);

describe.each(['base', 'overlays/production'])('deploy/%s', (dir) => {
  let docs: K8sDoc[];
  beforeAll(() => (docs = kustomize(join(deploy, dir))));

  it('renders every document valid against the Kubernetes JSON schemas', () => {
    const results = validateSchemas(docs);

    expect(results).toHaveLength(docs.length);
    expect(results.filter((r) => r.error)).toEqual([]);
  });

  it('follows the operating rules: probes, resources, non-root, credentials from Secrets, existing targets', () => {
    expect(policyProblems(docs)).toEqual([]);
  });

  it('runs every service from the one image, chosen by APP, with migrations as a Job', () => {
    for (const service of [...services, 'migrate']) {
      const workload = find(docs, service === 'migrate' ? 'Job' : 'Deployment', `gatehouse-${service}`);
      const container = workload?.spec.template.spec.containers[0];
      expect(container?.env.find((e: K8sDoc) => e.name === 'APP')?.value).toBe(service);
      expect(container?.image).toBe(dir === 'base' ? 'gatehouse' : 'registry.example.com/gatehouse:0.1.0');
    }
  });

  it('scales gateway and auth automatically, and keeps one of each through disruptions', () => {
    for (const service of ['gateway', 'auth']) {
      expect(find(docs, 'HorizontalPodAutoscaler', `gatehouse-${service}`)?.spec.scaleTargetRef.name).toBe(`gatehouse-${service}`);
      expect(find(docs, 'PodDisruptionBudget', `gatehouse-${service}`)?.spec.minAvailable).toBe(1);
    }
  });

  it('exposes the API, the WebSocket with long timeouts and the web client, and keeps /health and /metrics inside', () => {
    const ingresses = docs.filter((d) => d.kind === 'Ingress');
    const paths = (name: string) => find(docs, 'Ingress', name)?.spec.rules[0].http.paths.map((p: K8sDoc) => p.path);
    expect(paths('gatehouse')).toEqual(['/api/v1', '/']);
    expect(paths('gatehouse-ws')).toEqual(['/api/v1/ws']);
    expect(
      Number(find(docs, 'Ingress', 'gatehouse-ws')?.metadata.annotations['nginx.ingress.kubernetes.io/proxy-read-timeout']),
    ).toBeGreaterThanOrEqual(3600);
    expect(paths('gatehouse-internal')).toEqual(['/health', '/metrics']);
    expect(find(docs, 'Ingress', 'gatehouse-internal')?.metadata.annotations['nginx.ingress.kubernetes.io/whitelist-source-range']).toBe(
      '127.0.0.1/32',
    );
    for (const ingress of ingresses) {
      for (const path of ingress.spec.rules[0].http.paths) expect(find(docs, 'Service', path.backend.service.name)).toBeDefined();
    }
  });

  it('runs NATS as a 3-node JetStream cluster', () => {
    const nats = find(docs, 'StatefulSet', 'gatehouse-nats');
    const config = find(docs, 'ConfigMap', 'gatehouse-nats')?.data['nats.conf'];
    expect(nats?.spec.replicas).toBe(3);
    expect(config).toMatch(/jetstream \{/);
    expect(config?.match(/nats:\/\/gatehouse-nats-\d\.gatehouse-nats-headless:6222/g)).toHaveLength(3);
  });
});

describe('deploy/overlays/production', () => {
  it('puts everything in its namespace and raises the replicas of the NATS-only services', () => {
    const docs = kustomize(join(deploy, 'overlays/production'));
    expect(docs.every((d) => d.metadata.namespace === 'gatehouse')).toBe(true);
    expect(find(docs, 'Deployment', 'gatehouse-sessions')?.spec.replicas).toBe(3);
    expect(find(docs, 'Ingress', 'gatehouse')?.spec.rules[0].host).toBe('gatehouse.example.org');
  });
});

describe('deploy/base/secret.example.yaml', () => {
  it('is a valid Secret holding placeholders only, and names every key the workloads reference', () => {
    const [secret] = parseYaml(readFileSync(join(deploy, 'base', 'secret.example.yaml'), 'utf8'));
    expect(validateSchemas([secret])[0].error).toBeNull();
    expect(Object.values(secret.stringData).every((value) => String(value).includes('CHANGE_ME'))).toBe(true);

    const referenced =
      JSON.stringify(kustomize(join(deploy, 'base'))).match(/"secretKeyRef":\{"name":"gatehouse-secrets","key":"[A-Z_]+"/g) ?? [];
    for (const ref of referenced) expect(Object.keys(secret.stringData)).toContain(ref.match(/"key":"([A-Z_]+)"/)![1]);
  });
});

describe('the manifest checks', () => {
  const broken = (mutate: (deployment: K8sDoc) => void): K8sDoc[] => {
    const docs = kustomize(join(deploy, 'base'));
    mutate(find(docs, 'Deployment', 'gatehouse-sessions')!);
    return docs;
  };

  it('reject a document that breaks the Kubernetes schema', () => {
    const docs = broken((d) => (d.spec.template.spec.containers[0].ports[0].containerPort = 'nine thousand'));
    const errors = validateSchemas(docs).filter((r) => r.error);
    expect(errors).toEqual([
      expect.objectContaining({
        kind: 'Deployment',
        name: 'gatehouse-sessions',
        error: expect.stringMatching(/containerPort must be integer/),
      }),
    ]);
  });

  it('reject a kind without a schema', () => {
    expect(validateSchemas([{ apiVersion: 'v1', kind: 'Deploymnet', metadata: { name: 'x' } }])[0].error).toMatch(/no schema/);
  });

  it('reject a Deployment without a probe, without limits, running as root, or with a literal credential', () => {
    const docs = broken((d) => {
      const container = d.spec.template.spec.containers[0];
      delete container.readinessProbe;
      delete container.resources.limits;
      d.spec.template.spec.securityContext.runAsNonRoot = false;
      container.env.push({ name: 'DATABASE_URL', value: 'postgresql://gatehouse:hunter2@db/gatehouse' });
    });
    expect(policyProblems(docs)).toEqual([
      'Deployment/gatehouse-sessions: pod does not set runAsNonRoot',
      'Deployment/gatehouse-sessions container sessions: no readinessProbe',
      'Deployment/gatehouse-sessions container sessions: no resources.limits.cpu',
      'Deployment/gatehouse-sessions container sessions: no resources.limits.memory',
      'Deployment/gatehouse-sessions container sessions: DATABASE_URL does not come from a secretKeyRef',
    ]);
  });

  it('reject an autoscaler whose Deployment does not exist', () => {
    const docs = kustomize(join(deploy, 'base')).filter((d) => !(d.kind === 'Deployment' && d.metadata.name === 'gatehouse-auth'));
    expect(policyProblems(docs)).toEqual([
      'PodDisruptionBudget/gatehouse-auth: selects no pods',
      'HorizontalPodAutoscaler/gatehouse-auth: targets Deployment/gatehouse-auth, which does not exist',
    ]);
  });
});

describe('deploy/grafana/gatehouse.json', () => {
  it('charts the metrics the apps export and the ones features add by name', () => {
    const dashboard = JSON.parse(readFileSync(join(deploy, 'grafana', 'gatehouse.json'), 'utf8'));
    const exprs: string[] = dashboard.panels.flatMap((panel: K8sDoc) => panel.targets.map((target: K8sDoc) => target.expr));
    const names = new Set(
      exprs.flatMap((expr) => expr.match(/gatehouse_[a-z_]+/g) ?? []).map((name) => name.replace(/_(bucket|sum|count)$/, '')),
    );

    expect([...names].sort()).toEqual([
      'gatehouse_auth_events_total',
      'gatehouse_http_request_duration_seconds',
      'gatehouse_http_requests_total',
      'gatehouse_mail_attempts_total',
      'gatehouse_mail_queue_jobs',
      'gatehouse_nats_request_duration_seconds',
      'gatehouse_nats_requests_total',
      'gatehouse_pending_approvals',
    ]);
    // each one is a metric the code defines (a renamed metric leaves an empty chart otherwise)
    const sources = ['apps', 'libs']
      .flatMap((dir) =>
        readdirSync(join(deploy, '..', dir), { recursive: true, encoding: 'utf8' }).map((file) => join(deploy, '..', dir, file)),
      )
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts') && !file.includes('node_modules'))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    for (const name of names) expect(sources.includes(`'${name}'`) ? name : `${name} (defined nowhere)`).toBe(name);
  });
});
