/**
 * deploy/kubernetes checked offline (no cluster runs here, issue 13): every object validates against the
 * Kubernetes OpenAPI schema of its kind (kubernetes-models, generated from the upstream API
 * definitions), and the objects agree with each other, with the Dockerfile and with crs-cds itself:
 * probes on /healthz and /readyz, a valid site configuration, the Secret the pods read, selectors that
 * match, a grace period that covers the drain, non-root and read-only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { parseAllDocuments } from 'yaml';
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/types.js';

const DIR = fileURLToPath(new URL('../../deploy/kubernetes/', import.meta.url));
const DOCKERFILE = readFileSync(fileURLToPath(new URL('../../Dockerfile', import.meta.url)), 'utf8');

/** The model class of each kind we ship; a kind without one here fails the test (add it). */
const MODELS: Readonly<Record<string, new (data: never) => { validate: () => void }>> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
};

type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; [key: string]: unknown };

function readYaml(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(`${DIR}${file}`, 'utf8')).map((document) => {
    expect(document.errors).toEqual([]);
    return document.toJS() as Manifest;
  });
}

const files = readdirSync(DIR).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml').sort();
const manifests = files.flatMap(readYaml);
const one = <T>(kind: string): T => {
  const found = manifests.filter((manifest) => manifest.kind === kind);
  expect(found).toHaveLength(1);
  return found[0] as T;
};

/** Validation problems of one object, as text (empty when valid). */
function schemaProblems(manifest: unknown): string {
  const { apiVersion, kind } = manifest as Manifest;
  const Model = MODELS[`${apiVersion}/${kind}`];
  if (Model === undefined) return `no schema for ${apiVersion} ${kind}`;
  try {
    new Model(manifest as never).validate();
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

interface Container {
  name: string;
  image: string;
  ports: { name: string; containerPort: number }[];
  env: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  startupProbe: { httpGet: { path: string; port: string } };
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  lifecycle: { preStop: { exec: { command: string[] } } };
  securityContext: { allowPrivilegeEscalation: boolean; readOnlyRootFilesystem: boolean; capabilities: { drop: string[] } };
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface PodSpec {
  terminationGracePeriodSeconds: number;
  securityContext: { runAsNonRoot: boolean; runAsUser: number; seccompProfile: { type: string } };
  containers: Container[];
  volumes: { name: string; configMap?: { name: string }; emptyDir?: object }[];
}
interface DeploymentManifest extends Manifest {
  spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
}

const deployment = one<DeploymentManifest>('Deployment');
const pod = deployment.spec.template.spec;
const container = pod.containers[0] as Container;
const env = (name: string) => container.env.find((entry) => entry.name === name);
const configMap = one<Manifest & { metadata: { name: string }; data: Record<string, string> }>('ConfigMap');
const siteConfig = (): Config => parseConfig(parseAllDocuments(configMap.data['site.yaml'] ?? '')[0]?.toJS());

describe('deploy/kubernetes', () => {
  test.each(files)('%s: every object validates against its Kubernetes schema', (file) => {
    for (const manifest of readYaml(file)) expect(schemaProblems(manifest), `${manifest.kind} ${manifest.metadata.name}`).toBe('');
  });

  test('the schema check does catch a broken object', () => {
    const broken = structuredClone(deployment);
    (broken.spec.template.spec.containers[0] as { ports: unknown[] }).ports = [{ containerPort: 'http' }];
    expect(schemaProblems(broken)).toContain('containerPort must be integer');
    expect(schemaProblems({ ...deployment, spec: { ...deployment.spec, selector: undefined } })).toContain('must have required property selector');
  });

  test('kustomization.yaml lists exactly the manifests of the directory', () => {
    const kustomization = readYaml('kustomization.yaml')[0] as unknown as { resources: string[] };
    expect([...kustomization.resources].sort()).toEqual(files);
  });

  test('probes: liveness and start-up on /healthz, readiness on /readyz, on the container port', () => {
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.ports).toEqual([expect.objectContaining({ name: 'http', containerPort: Number(env('PORT')?.value) })]);
  });

  test('resource requests and limits for CPU and memory', () => {
    expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(container.resources.limits).sort()).toEqual(['cpu', 'memory']);
  });

  test('non-root, no privilege escalation, no capabilities, read-only root with a writable /tmp emptyDir', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    const tmp = container.volumeMounts.find((mount) => mount.mountPath === '/tmp');
    expect(pod.volumes.find((volume) => volume.name === tmp?.name)?.emptyDir).toBeDefined();
    for (const mount of container.volumeMounts) expect(pod.volumes.map((volume) => volume.name)).toContain(mount.name);
  });

  test('the Dockerfile runs as the same unprivileged user and exposes the same port', () => {
    const user = /^USER (\d+):(\d+)$/m.exec(DOCKERFILE);
    expect(Number(user?.[1])).toBe(pod.securityContext.runAsUser);
    expect(Number(user?.[1])).toBeGreaterThan(0);
    expect(/^EXPOSE (\d+)$/m.exec(DOCKERFILE)?.[1]).toBe(env('PORT')?.value);
    expect(DOCKERFILE).toContain('CMD ["node", "dist/src/server.js"]');
  });

  test('the ConfigMap holds a valid crs-cds configuration on PostgreSQL, mounted where CRS_CDS_CONFIG points', () => {
    const config = siteConfig();
    expect(config.storage.kind).toBe('postgres');
    expect(config.storage.url).toBeUndefined();
    const mount = container.volumeMounts.find((m) => pod.volumes.find((v) => v.name === m.name)?.configMap?.name === configMap.metadata.name);
    expect(`${mount?.mountPath}/site.yaml`).toBe(env('CRS_CDS_CONFIG')?.value);
  });

  test('DATABASE_URL comes from the Secret, which has that key', () => {
    const secret = one<Manifest & { stringData: Record<string, string> }>('Secret');
    expect(env('DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual({ name: secret.metadata.name, key: 'DATABASE_URL' });
    expect(Object.keys(secret.stringData)).toEqual(['DATABASE_URL']);
    expect(JSON.stringify(configMap.data)).not.toMatch(/postgres(ql)?:\/\//);
  });

  test('the grace period covers the preStop pause, the drain bound and closing the pool', () => {
    const [command, seconds] = container.lifecycle.preStop.exec.command;
    expect(command).toBe('sleep');
    const neededMs = Number(seconds) * 1000 + siteConfig().http.drainTimeoutMs + 5000;
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThanOrEqual(neededMs);
  });

  test('Service, HPA and PDB point at the Deployment and its pods', () => {
    const labels = deployment.spec.template.metadata.labels;
    expect(deployment.spec.selector.matchLabels).toEqual(labels);
    const service = one<Manifest & { spec: { selector: Record<string, string>; ports: { targetPort: string }[] } }>('Service');
    expect(service.spec.selector).toEqual(labels);
    expect(service.spec.ports[0]?.targetPort).toBe('http');
    const hpa = one<Manifest & { spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number } }>('HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
    const pdb = one<Manifest & { spec: { selector: { matchLabels: Record<string, string> }; minAvailable: number } }>('PodDisruptionBudget');
    expect(pdb.spec.selector.matchLabels).toEqual(labels);
    // A drain must be able to evict one pod at the smallest size.
    expect(pdb.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas);
    expect(deployment.spec.replicas).toBe(hpa.spec.minReplicas);
    // Every replica's pool fits in a default PostgreSQL (max_connections 100) at the largest size.
    const maxReplicas = (hpa.spec as unknown as { maxReplicas: number }).maxReplicas;
    expect(maxReplicas * siteConfig().storage.pool.maxConnections).toBeLessThan(100);
  });

  test('the Ingress terminates TLS and publishes only the CDS Hooks paths and the timeline app to the Service', () => {
    const ingress = one<Manifest & { spec: { tls: { hosts: string[]; secretName: string }[]; rules: { host: string; http: { paths: { path: string; backend: { service: { name: string } } }[] } }[] } }>('Ingress');
    expect(ingress.spec.tls[0]?.hosts).toEqual([ingress.spec.rules[0]?.host]);
    expect(ingress.spec.rules[0]?.http.paths.map((p) => [p.path, p.backend.service.name])).toEqual([
      ['/cds-services', 'crs-cds'],
      ['/app', 'crs-cds'],
    ]);
  });
});
