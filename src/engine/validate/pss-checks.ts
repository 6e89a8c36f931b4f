// The Pod Security Standards (kubernetes.io/docs/concepts/security/pod-security-standards), latest
// version: each check lists its violations on a pod spec, with the field, the offending values and,
// for container fields, the container's image (exclusions can exempt images).
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';

export type PssLevel = 'baseline' | 'restricted';

export interface Violation {
  /** The control, as Kyverno's `exclude[].controlName` names it ("Host Namespaces"). */
  control: string;
  /** e.g. "spec.hostIPC", "spec.containers[*].securityContext.privileged". */
  field: string;
  values: string[];
  /** The image of the container the violation is on; undefined for pod-level fields. */
  image?: string;
}

interface Container {
  kind: 'containers' | 'initContainers' | 'ephemeralContainers';
  spec: JsonObject;
}

export interface PodView {
  metadata: JsonObject;
  spec: JsonObject;
}

const obj = (v: JsonValue | undefined): JsonObject => (isJsonObject(v) ? v : {});
const list = (v: JsonValue | undefined): JsonValue[] => (Array.isArray(v) ? v : []);
const text = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : JSON.stringify(v ?? null));

function containers(spec: JsonObject): Container[] {
  const out: Container[] = [];
  for (const kind of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    for (const c of list(spec[kind])) if (isJsonObject(c)) out.push({ kind, spec: c });
  }
  return out;
}

function containerField(c: Container, path: string): string {
  return `spec.${c.kind}[*].${path}`;
}

function image(c: Container): string {
  return typeof c.spec['image'] === 'string' ? c.spec['image'] : '';
}

const baselineCapabilities = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
const safeSysctls = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const seLinuxTypes = new Set([
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t',
]);
const restrictedVolumes = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

type Check = (pod: PodView) => Violation[];

function perContainer(control: string, path: string, bad: (c: Container) => string[] | undefined): Check {
  return (pod) =>
    containers(pod.spec).flatMap((c) => {
      const values = bad(c);
      return values === undefined
        ? []
        : [{ control, field: containerField(c, path), values, image: image(c) }];
    });
}

const sc = (c: Container): JsonObject => obj(c.spec['securityContext']);

const baselineChecks: Check[] = [
  (pod) => {
    const out: Violation[] = [];
    if (obj(obj(pod.spec['securityContext'])['windowsOptions'])['hostProcess'] === true)
      out.push({
        control: 'HostProcess',
        field: 'spec.securityContext.windowsOptions.hostProcess',
        values: ['true'],
      });
    return out.concat(
      perContainer('HostProcess', 'securityContext.windowsOptions.hostProcess', (c) =>
        obj(sc(c)['windowsOptions'])['hostProcess'] === true ? ['true'] : undefined,
      )(pod),
    );
  },
  (pod) =>
    ['hostNetwork', 'hostPID', 'hostIPC']
      .filter((f) => pod.spec[f] === true)
      .map((f) => ({ control: 'Host Namespaces', field: `spec.${f}`, values: ['true'] })),
  perContainer('Privileged Containers', 'securityContext.privileged', (c) =>
    sc(c)['privileged'] === true ? ['true'] : undefined,
  ),
  perContainer('Capabilities', 'securityContext.capabilities.add', (c) => {
    const added = list(obj(sc(c)['capabilities'])['add'])
      .map(text)
      .filter((x) => !baselineCapabilities.has(x));
    return added.length > 0 ? added : undefined;
  }),
  (pod) =>
    list(pod.spec['volumes'])
      .filter((v) => isJsonObject(v) && v['hostPath'] !== undefined)
      .map((v) => ({
        control: 'HostPath Volumes',
        field: 'spec.volumes[*].hostPath',
        values: [text(obj(v)['name'])],
      })),
  perContainer('Host Ports', 'ports[*].hostPort', (c) => {
    const ports = list(c.spec['ports'])
      .map((p) => obj(p)['hostPort'])
      .filter((p) => typeof p === 'number' && p !== 0);
    return ports.length > 0 ? ports.map(text) : undefined;
  }),
  (pod) => {
    const out: Violation[] = [];
    for (const [k, v] of Object.entries(obj(pod.metadata['annotations']))) {
      if (!k.startsWith('container.apparmor.security.beta.kubernetes.io/')) continue;
      const value = text(v);
      if (value !== 'runtime/default' && !value.startsWith('localhost/'))
        out.push({ control: 'AppArmor', field: `metadata.annotations["${k}"]`, values: [value] });
    }
    const okProfile = (p: JsonValue | undefined): boolean => {
      const t = obj(p)['type'];
      return p === undefined || t === 'RuntimeDefault' || t === 'Localhost';
    };
    const podProfile = obj(pod.spec['securityContext'])['appArmorProfile'];
    if (!okProfile(podProfile))
      out.push({
        control: 'AppArmor',
        field: 'spec.securityContext.appArmorProfile.type',
        values: [text(obj(podProfile)['type'])],
      });
    return out.concat(
      perContainer('AppArmor', 'securityContext.appArmorProfile.type', (c) =>
        okProfile(sc(c)['appArmorProfile']) ? undefined : [text(obj(sc(c)['appArmorProfile'])['type'])],
      )(pod),
    );
  },
  (pod) => {
    const bad = (o: JsonValue | undefined): string[] | undefined => {
      if (!isJsonObject(o)) return undefined;
      const values: string[] = [];
      if (!seLinuxTypes.has(typeof o['type'] === 'string' ? o['type'] : ''))
        values.push(`type:${text(o['type'])}`);
      if (typeof o['user'] === 'string' && o['user'] !== '') values.push(`user:${o['user']}`);
      if (typeof o['role'] === 'string' && o['role'] !== '') values.push(`role:${o['role']}`);
      return values.length > 0 ? values : undefined;
    };
    const podBad = bad(obj(pod.spec['securityContext'])['seLinuxOptions']);
    const out: Violation[] = podBad
      ? [{ control: 'SELinux', field: 'spec.securityContext.seLinuxOptions', values: podBad }]
      : [];
    return out.concat(
      perContainer('SELinux', 'securityContext.seLinuxOptions', (c) => bad(sc(c)['seLinuxOptions']))(pod),
    );
  },
  perContainer('/proc Mount Type', 'securityContext.procMount', (c) => {
    const m = sc(c)['procMount'];
    return m === undefined || m === null || m === 'Default' ? undefined : [text(m)];
  }),
  (pod) => {
    const unconfined = (p: JsonValue | undefined): boolean => obj(p)['type'] === 'Unconfined';
    const out: Violation[] = unconfined(obj(pod.spec['securityContext'])['seccompProfile'])
      ? [{ control: 'Seccomp', field: 'spec.securityContext.seccompProfile.type', values: ['Unconfined'] }]
      : [];
    return out.concat(
      perContainer('Seccomp', 'securityContext.seccompProfile.type', (c) =>
        unconfined(sc(c)['seccompProfile']) ? ['Unconfined'] : undefined,
      )(pod),
    );
  },
  (pod) => {
    const names = list(obj(pod.spec['securityContext'])['sysctls'])
      .map((s) => text(obj(s)['name']))
      .filter((n) => !safeSysctls.has(n));
    return names.length > 0
      ? [{ control: 'Sysctls', field: 'spec.securityContext.sysctls[*].name', values: names }]
      : [];
  },
];

const restrictedChecks: Check[] = [
  (pod) =>
    list(pod.spec['volumes']).flatMap((v) => {
      const types = Object.keys(obj(v)).filter((k) => k !== 'name' && !restrictedVolumes.has(k));
      return types.length > 0 ? [{ control: 'Volume Types', field: 'spec.volumes[*]', values: types }] : [];
    }),
  perContainer('Privilege Escalation', 'securityContext.allowPrivilegeEscalation', (c) =>
    sc(c)['allowPrivilegeEscalation'] === false
      ? undefined
      : [text(sc(c)['allowPrivilegeEscalation'] ?? 'undefined')],
  ),
  (pod) => {
    const podNonRoot = obj(pod.spec['securityContext'])['runAsNonRoot'];
    const out: Violation[] =
      podNonRoot === false
        ? [{ control: 'Running as Non-root', field: 'spec.securityContext.runAsNonRoot', values: ['false'] }]
        : [];
    return out.concat(
      perContainer('Running as Non-root', 'securityContext.runAsNonRoot', (c) => {
        const v = sc(c)['runAsNonRoot'];
        if (v === false) return ['false'];
        return v === true || podNonRoot === true ? undefined : ['undefined'];
      })(pod),
    );
  },
  (pod) => {
    const out: Violation[] =
      obj(pod.spec['securityContext'])['runAsUser'] === 0
        ? [{ control: 'Running as Non-root user', field: 'spec.securityContext.runAsUser', values: ['0'] }]
        : [];
    return out.concat(
      perContainer('Running as Non-root user', 'securityContext.runAsUser', (c) =>
        sc(c)['runAsUser'] === 0 ? ['0'] : undefined,
      )(pod),
    );
  },
  (pod) => {
    const ok = (p: JsonValue | undefined): boolean =>
      ['RuntimeDefault', 'Localhost'].includes(text(obj(p)['type']));
    const podOk = ok(obj(pod.spec['securityContext'])['seccompProfile']);
    return perContainer('Seccomp', 'securityContext.seccompProfile.type', (c) => {
      const p = sc(c)['seccompProfile'];
      if (p === undefined) return podOk ? undefined : ['undefined'];
      return ok(p) ? undefined : [text(obj(p)['type'])];
    })(pod);
  },
  perContainer('Capabilities', 'securityContext.capabilities', (c) => {
    const caps = obj(sc(c)['capabilities']);
    const values: string[] = [];
    if (!list(caps['drop']).map(text).includes('ALL')) values.push('drop:ALL missing');
    for (const a of list(caps['add']).map(text)) if (a !== 'NET_BIND_SERVICE') values.push(a);
    return values.length > 0 ? values : undefined;
  }),
];

export function podSecurityViolations(pod: PodView, level: PssLevel): Violation[] {
  const checks = level === 'restricted' ? [...baselineChecks, ...restrictedChecks] : baselineChecks;
  return checks.flatMap((c) => c(pod));
}
