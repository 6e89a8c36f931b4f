// Admission metrics under Kyverno's names, so dashboards built for Kyverno keep working.
import type { AdmissionRequest, AdmissionResponse } from '../api/admission.js';
import type { Metrics } from '../platform/metrics.js';

export class AdmissionMetrics {
  private readonly requests;
  private readonly duration;
  private readonly bad;

  constructor(metrics: Metrics) {
    const labelNames = [
      'resource_kind',
      'resource_namespace',
      'resource_request_operation',
      'request_allowed',
      'webhook',
    ] as const;
    this.requests = metrics.counter({
      name: 'kyverno_admission_requests_total',
      help: 'Admission requests reviewed.',
      labelNames,
    });
    this.duration = metrics.histogram({
      name: 'kyverno_admission_review_duration_seconds',
      help: 'Time to review one admission request.',
      labelNames,
    });
    this.bad = metrics.counter({
      name: 'sprout_admission_malformed_requests_total',
      help: 'Requests that were not well-formed AdmissionReviews.',
      labelNames: ['webhook'] as const,
    });
  }

  reviewed(path: string, req: AdmissionRequest, res: AdmissionResponse, seconds: number): void {
    const labels = {
      resource_kind: req.kind.kind,
      resource_namespace: req.namespace ?? '',
      resource_request_operation: req.operation.toLowerCase(),
      request_allowed: String(res.allowed),
      webhook: path,
    };
    this.requests.inc(labels);
    this.duration.observe(labels, seconds);
  }

  malformed(path: string): void {
    this.bad.inc({ webhook: path });
  }
}
