import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Metrics } from '../platform/metrics.js';
import { GenerateMetrics } from './generate-metrics.js';
import type { GenerateKey } from './generate/key.js';
import type { ReconcileResult } from './generate/reconciler.js';

const key = (policy: string, rule: string, name: string): GenerateKey => ({
  policy,
  rule,
  trigger: { apiVersion: 'v1', kind: 'Namespace', namespace: '', name, uid: `uid-${name}` },
});
const result = (action: ReconcileResult['action']): ReconcileResult => ({ action, created: 0, updated: 0, deleted: 0, message: '' });

describe('GenerateMetrics', () => {
  it('counts outcomes per rule and reports failing keys and the last success when scraped', async () => {
    const metrics = new Metrics();
    const stats = new GenerateMetrics(metrics);
    stats.reconciled(key('p', 'r', 'a'), result('generated'), 0.002, undefined, 1000);
    stats.reconciled(key('p', 'r', 'b'), result('generated'), 0.003, undefined, 1001);
    stats.reconciled(key('p', 'r', 'c'), result('unchanged'), 0.001, undefined, 1002);
    stats.failed(key('p', 'r', 'x'));
    stats.failed(key('p', 'r', 'y'));
    stats.failed(key('p', 'other', 'z'));
    let text = await metrics.expose();
    const cases: [RegExp, string][] = [
      [/sprout_generate_reconciles_total\{policy="p",rule="r",action="generated"\} (\S+)/, '2'],
      [/sprout_generate_reconciles_total\{policy="p",rule="r",action="unchanged"\} (\S+)/, '1'],
      [/sprout_generate_reconcile_errors_total\{policy="p",rule="r"\} (\S+)/, '2'],
      [/sprout_generate_reconcile_duration_seconds_count\{policy="p",rule="r"\} (\S+)/, '3'],
      [/sprout_generate_failing_keys\{policy="p",rule="r"\} (\S+)/, '2'],
      [/sprout_generate_failing_keys\{policy="p",rule="other"\} (\S+)/, '1'],
      [/sprout_generate_last_success_timestamp_seconds\{policy="p",rule="r"\} (\S+)/, '1002'],
    ];
    for (const [pattern, value] of cases) assert.equal(pattern.exec(text)?.[1], value, pattern.source);
    assert.doesNotMatch(text, /sprout_generate_last_success_timestamp_seconds\{policy="p",rule="other"\}/);
    // A failing key that succeeds (by its queue string, as the controller passes it) stops counting.
    stats.reconciled(key('p', 'r', 'x'), result('generated'), 0.001, undefined, 1003);
    text = await metrics.expose();
    assert.equal(/sprout_generate_failing_keys\{policy="p",rule="r"\} (\S+)/.exec(text)?.[1], '1');
  });
});
