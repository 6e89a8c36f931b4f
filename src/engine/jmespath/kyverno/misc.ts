// semver_compare, random, x509_decode, image_normalize and is_external_url.
import type { FunctionSpec } from '../types.js';
import { parseSemverRange, SemverError } from '../../units/semver.js';
import { functionError, plainError, spec, str, stringAt } from './helpers.js';
import { formatImageReference, ImageReferenceError, parseImageReference } from './image.js';
import { randomMatching } from './random.js';
import { decodeX509 } from './x509.js';

const privateV4 = [/^10\./, /^127\./, /^169\.254\./, /^172\.(1[6-9]|2\d|3[01])\./, /^192\.168\./, /^0\./];

/** A hostname or IP that is not loopback, private, link-local or a cluster-local name. */
function isExternalHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === '' || h === 'localhost' || h.endsWith('.localhost')) return false;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(h)) return !privateV4.some((re) => re.test(h));
  if (h.includes(':')) return !(h === '::1' || h === '::' || /^f[cd]/.test(h) || /^fe[89ab]/.test(h));
  return !(h.endsWith('.svc') || h.includes('.svc.') || h.endsWith('.local') || !h.includes('.'));
}

export const miscFunctions: FunctionSpec[] = [
  spec('semver_compare', [str, str], (a) => {
    try {
      return parseSemverRange(stringAt(a, 1))(stringAt(a, 0));
    } catch (e) {
      throw plainError(e instanceof SemverError ? e.message : String(e));
    }
  }),
  spec('random', [str], (a, ctx) => randomMatching(stringAt(a, 0), ctx)),
  spec('x509_decode', [str], (a) => decodeX509(stringAt(a, 0))),
  spec('image_normalize', [str], (a) => {
    try {
      return formatImageReference(parseImageReference(stringAt(a, 0)));
    } catch (e) {
      throw functionError('image_normalize', e instanceof ImageReferenceError ? e.message : String(e));
    }
  }),
  spec('is_external_url', [str], (a) => {
    let url: URL;
    try {
      url = new URL(stringAt(a, 0));
    } catch {
      return false;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    return isExternalHost(url.hostname);
  }),
];
