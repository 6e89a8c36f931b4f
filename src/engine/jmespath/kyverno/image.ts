// Image references as Kyverno normalises them (pkg/utils/image): a registry is added when the
// first path component is not a host, "latest" when there is neither tag nor digest.

export interface ImageReference {
  registry: string;
  path: string;
  name: string;
  tag: string;
  digest: string;
}

export class ImageReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageReferenceError';
  }
}

const defaultRegistry = 'docker.io';

// docker/distribution reference grammar (non-normalising Parse).
const pathComponent = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domain = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const referencePattern = new RegExp(
  `^((?:${domain}/)?${pathComponent}(?:/${pathComponent})*)(?::([\\w][\\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`,
);

function withDefaultRegistry(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return `${defaultRegistry}/${image}`;
  const first = image.slice(0, slash);
  const isHost = /[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first;
  return isHost ? image : `${defaultRegistry}/${image}`;
}

export function parseImageReference(image: string): ImageReference {
  const full = withDefaultRegistry(image);
  const m = referencePattern.exec(full);
  if (m === null) {
    const reason = /[A-Z]/.test(full.split('/').slice(1).join('/').split(/[:@]/)[0] ?? '')
      ? 'repository name must be lowercase'
      : 'invalid reference format';
    throw new ImageReferenceError(
      `bad image: ${full}, defaultRegistry: ${defaultRegistry}, enableDefaultRegistryMutation: true: ${reason}`,
    );
  }
  const named = m[1] ?? '';
  const slash = named.indexOf('/');
  const registry = named.slice(0, slash);
  const path = named.slice(slash + 1);
  const digest = m[3] ?? '';
  const tag = m[2] ?? (digest === '' ? 'latest' : '');
  return { registry, path, name: path.slice(path.lastIndexOf('/') + 1), tag, digest };
}

/** ImageInfo.String(): registry/path followed by @digest when there is one, else :tag. */
export function formatImageReference(ref: ImageReference): string {
  const image = ref.registry === '' ? ref.path : `${ref.registry}/${ref.path}`;
  return ref.digest !== '' ? `${image}@${ref.digest}` : `${image}:${ref.tag}`;
}
