import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { register } from 'prom-client';
import { Metrics } from './metrics.js';

describe('Metrics', () => {
  it('keeps each instance in its own registry, never the global one', async () => {
    const one = new Metrics();
    const two = new Metrics();
    one.counter({ name: 'sprout_test_total', help: 'h' }).inc(3);
    two.counter({ name: 'sprout_test_total', help: 'h' }).inc(1);
    assert.match(await one.expose(), /sprout_test_total 3/);
    assert.match(await two.expose(), /sprout_test_total 1/);
    assert.equal(register.getSingleMetric('sprout_test_total'), undefined);
  });

  it('returns the same metric for the same name and refuses a type clash', () => {
    const metrics = new Metrics();
    const gauge = metrics.gauge({ name: 'sprout_g', help: 'h', labelNames: ['policy'] });
    assert.equal(metrics.gauge({ name: 'sprout_g', help: 'h', labelNames: ['policy'] }), gauge);
    assert.throws(
      () => metrics.counter({ name: 'sprout_g', help: 'h' }),
      /already registered as another type/,
    );
  });

  it('records histograms and scrape-time gauges', async () => {
    const metrics = new Metrics();
    metrics.histogram({ name: 'sprout_h_seconds', help: 'h', buckets: [0.1, 1] }).observe(0.5);
    let polled = 0;
    metrics.gauge({
      name: 'sprout_polled',
      help: 'h',
      collect() {
        this.set(++polled);
      },
    });
    const text = await metrics.expose();
    assert.match(text, /sprout_h_seconds_bucket\{le="0.1"\} 0/);
    assert.match(text, /sprout_h_seconds_bucket\{le="1"\} 1/);
    assert.match(text, /sprout_polled 1/);
    assert.match(metrics.contentType, /text\/plain/);
  });
});
