// The Pod Security Standards (kubernetes.io/docs/concepts/security/pod-security-standards), newest
// version of every check, each listing its violations on a pod spec with the field, the offending
// values and, for container fields, the container's image (exclusions can exempt images). Which
// checks a pinned `version` runs is pss-versions.ts's business.
import type { JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { Check, Container, Control, PodView, Violation } from './pss-view.js';
import {
  list,
  obj,
  perContainer,
  podAndContainers,
  podSecurityContext,
  sc,
  since,
  text,
} from './pss-view.js';

const allowedCapabilities = new Set([
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
export const safeSysctls: ReadonlySet<string> = new Set([
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
export const seLinuxTypes: ReadonlySet<string> = new Set([
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

// The first versions of checks that later versions changed; only pinned versions run them.

const seLinux1Dot0 = seLinuxCheck(new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']));

const sysctls1Dot0 = sysctlsCheck(
  new Set([
    'kernel.shm_rmid_forced',
    'net.ipv4.ip_local_port_range',
    'net.ipv4.tcp_syncookies',
    'net.ipv4.ping_group_range',
    'net.ipv4.ip_unprivileged_port_start',
  ]),
);

const seccompPodAnnotation = 'seccomp.security.alpha.kubernetes.io/pod';
const seccompContainerAnnotation = 'container.seccomp.security.alpha.kubernetes.io/';

const allowedSeccompAnnotation = (v: string): boolean =>
  v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');

/** Before v1.19 seccomp was set by annotations: the pod's, and one per container name. */
function seccompAnnotations(pod: PodView, cs: readonly Container[], out: Violation[]): void {
  const annotations = obj(pod.metadata['annotations']);
  const check = (key: string, image?: string): void => {
    const v = annotations[key];
    if (v === undefined || allowedSeccompAnnotation(text(v))) return;
    const violation: Violation = {
      control: 'Seccomp',
      field: `metadata.annotations["${key}"]`,
      values: [text(v)],
    };
    out.push(image === undefined ? violation : { ...violation, image });
  };
  check(seccompPodAnnotation);
  for (const c of cs) {
    const name = c.spec['name'];
    if (typeof name === 'string') check(seccompContainerAnnotation + name, text(c.spec['image'] ?? ''));
  }
}

const seccompFields: Check = podAndContainers(
  (pod) =>
    unconfined(podSecurityContext(pod)['seccompProfile'])
      ? { control: 'Seccomp', field: 'spec.securityContext.seccompProfile.type', values: ['Unconfined'] }
      : undefined,
  perContainer('Seccomp', 'securityContext.seccompProfile.type', (c) =>
    unconfined(sc(c)['seccompProfile']) ? ['Unconfined'] : undefined,
  ),
);

export const baselineControls: readonly Control[] = [
  since(
    0,
    podAndContainers(
      (pod) =>
        obj(podSecurityContext(pod)['windowsOptions'])['hostProcess'] === true
          ? {
              control: 'HostProcess',
              field: 'spec.securityContext.windowsOptions.hostProcess',
              values: ['true'],
            }
          : undefined,
      perContainer('HostProcess', 'securityContext.windowsOptions.hostProcess', (c) =>
        obj(sc(c)['windowsOptions'])['hostProcess'] === true ? ['true'] : undefined,
      ),
    ),
  ),
  since(0, (pod, _cs, out) => {
    for (const f of ['hostNetwork', 'hostPID', 'hostIPC'])
      if (pod.spec[f] === true)
        out.push({ control: 'Host Namespaces', field: `spec.${f}`, values: ['true'] });
  }),
  since(
    0,
    perContainer('Privileged Containers', 'securityContext.privileged', (c) =>
      sc(c)['privileged'] === true ? ['true'] : undefined,
    ),
  ),
  since(
    0,
    perContainer('Capabilities', 'securityContext.capabilities.add', (c) => {
      const added = list(obj(sc(c)['capabilities'])['add'])
        .map(text)
        .filter((x) => !allowedCapabilities.has(x));
      return added.length > 0 ? added : undefined;
    }),
  ),
  since(0, (pod, _cs, out) => {
    for (const v of list(pod.spec['volumes']))
      if (isJsonObject(v) && v['hostPath'] !== undefined)
        out.push({
          control: 'HostPath Volumes',
          field: 'spec.volumes[*].hostPath',
          values: [text(v['name'])],
        });
  }),
  since(
    0,
    perContainer('Host Ports', 'ports[*].hostPort', (c) => {
      const ports = list(c.spec['ports'])
        .map((p) => obj(p)['hostPort'])
        .filter((p) => typeof p === 'number' && p !== 0);
      return ports.length > 0 ? ports.map(text) : undefined;
    }),
  ),
  since(0, appArmor),
  { latest: seLinuxCheck(seLinuxTypes), pinned: () => [seLinux1Dot0] },
  since(
    0,
    perContainer('/proc Mount Type', 'securityContext.procMount', (c) => {
      const m = sc(c)['procMount'];
      return m === undefined || m === null || m === 'Default' ? undefined : [text(m)];
    }),
  ),
  {
    latest: seccompFields,
    pinned: (m) => (m >= 19 ? [seccompAnnotations, seccompFields] : [seccompAnnotations]),
  },
  // Newer versions allow more names; pinned versions also run the 1.0 list, which flags a superset.
  { latest: sysctlsCheck(safeSysctls), pinned: () => [sysctls1Dot0] },
];

function unconfined(p: JsonValue | undefined): boolean {
  return obj(p)['type'] === 'Unconfined';
}

function appArmor(pod: PodView, cs: readonly Container[], out: Violation[]): void {
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
  const podProfile = podSecurityContext(pod)['appArmorProfile'];
  if (!okProfile(podProfile))
    out.push({
      control: 'AppArmor',
      field: 'spec.securityContext.appArmorProfile.type',
      values: [text(obj(podProfile)['type'])],
    });
  perContainer('AppArmor', 'securityContext.appArmorProfile.type', (c) =>
    okProfile(sc(c)['appArmorProfile']) ? undefined : [text(obj(sc(c)['appArmorProfile'])['type'])],
  )(pod, cs, out);
}

function seLinuxViolations(o: JsonValue | undefined, types: ReadonlySet<string>): string[] | undefined {
  if (!isJsonObject(o)) return undefined;
  const values: string[] = [];
  if (!types.has(typeof o['type'] === 'string' ? o['type'] : '')) values.push(`type:${text(o['type'])}`);
  if (typeof o['user'] === 'string' && o['user'] !== '') values.push(`user:${o['user']}`);
  if (typeof o['role'] === 'string' && o['role'] !== '') values.push(`role:${o['role']}`);
  return values.length > 0 ? values : undefined;
}

export function seLinuxCheck(types: ReadonlySet<string>): Check {
  return podAndContainers(
    (pod) => {
      const values = seLinuxViolations(podSecurityContext(pod)['seLinuxOptions'], types);
      return values
        ? { control: 'SELinux', field: 'spec.securityContext.seLinuxOptions', values }
        : undefined;
    },
    perContainer('SELinux', 'securityContext.seLinuxOptions', (c) =>
      seLinuxViolations(sc(c)['seLinuxOptions'], types),
    ),
  );
}

export const restrictedControls: readonly Control[] = [
  since(0, (pod, _cs, out) => {
    for (const v of list(pod.spec['volumes'])) {
      const types = Object.keys(obj(v)).filter((k) => k !== 'name' && !restrictedVolumes.has(k));
      if (types.length > 0) out.push({ control: 'Volume Types', field: 'spec.volumes[*]', values: types });
    }
  }),
  since(
    8,
    perContainer('Privilege Escalation', 'securityContext.allowPrivilegeEscalation', (c) =>
      sc(c)['allowPrivilegeEscalation'] === false
        ? undefined
        : [text(sc(c)['allowPrivilegeEscalation'] ?? 'undefined')],
    ),
  ),
  since(0, (pod, cs, out) => {
    const podNonRoot = podSecurityContext(pod)['runAsNonRoot'];
    if (podNonRoot === false)
      out.push({
        control: 'Running as Non-root',
        field: 'spec.securityContext.runAsNonRoot',
        values: ['false'],
      });
    perContainer('Running as Non-root', 'securityContext.runAsNonRoot', (c) => {
      const v = sc(c)['runAsNonRoot'];
      if (v === false) return ['false'];
      return v === true || podNonRoot === true ? undefined : ['undefined'];
    })(pod, cs, out);
  }),
  since(
    23,
    podAndContainers(
      (pod) =>
        podSecurityContext(pod)['runAsUser'] === 0
          ? { control: 'Running as Non-root user', field: 'spec.securityContext.runAsUser', values: ['0'] }
          : undefined,
      perContainer('Running as Non-root user', 'securityContext.runAsUser', (c) =>
        sc(c)['runAsUser'] === 0 ? ['0'] : undefined,
      ),
    ),
  ),
  since(19, (pod, cs, out) => {
    const ok = (p: JsonValue | undefined): boolean =>
      ['RuntimeDefault', 'Localhost'].includes(text(obj(p)['type']));
    const podOk = ok(podSecurityContext(pod)['seccompProfile']);
    perContainer('Seccomp', 'securityContext.seccompProfile.type', (c) => {
      const p = sc(c)['seccompProfile'];
      if (p === undefined) return podOk ? undefined : ['undefined'];
      return ok(p) ? undefined : [text(obj(p)['type'])];
    })(pod, cs, out);
  }),
  since(
    22,
    perContainer('Capabilities', 'securityContext.capabilities', (c) => {
      const caps = obj(sc(c)['capabilities']);
      const values: string[] = [];
      if (!list(caps['drop']).map(text).includes('ALL')) values.push('drop:ALL missing');
      for (const a of list(caps['add']).map(text)) if (a !== 'NET_BIND_SERVICE') values.push(a);
      return values.length > 0 ? values : undefined;
    }),
  ),
];

export function sysctlsCheck(allowed: ReadonlySet<string>): Check {
  return (pod, _cs, out) => {
    const names = list(podSecurityContext(pod)['sysctls'])
      .map((s) => text(obj(s)['name']))
      .filter((n) => !allowed.has(n));
    if (names.length > 0)
      out.push({ control: 'Sysctls', field: 'spec.securityContext.sysctls[*].name', values: names });
  };
}
