import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { buildTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';

/**
 * Operations metrics (Prometheus): request rate and latency by route template and status, pool usage and
 * the audit queue; served on their own port only, never on the API's.
 */
let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
});
afterAll(async () => t?.close());

const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('operations metrics', () => {
  it('count requests by method, route template and status, with latency buckets', async () => {
    const admin = w.a.staff.admin.subject;
    for (let i = 0; i < 3; i++) await t.as(admin, { method: 'GET', url: `/v1/staff/${w.a.staff.socialWorker.id}` });
    await t.as(admin, { method: 'GET', url: `/v1/staff/${w.b.staff.socialWorker.id}` });
    await t.as(null, { method: 'GET', url: '/v1/no-such-route/RSSMRA80A01F205X' });
    const text = await t.app.operationsMetrics.registry.metrics();

    const staffRead = (status: number) => `cartella_http_request_duration_seconds_count{method="GET",route="/v1/staff/:staffId",status_code="${status}"}`;
    expect(sample(text, staffRead(200))).toBe(3);
    expect(sample(text, staffRead(404))).toBe(1);
    expect(sample(text, 'cartella_http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"}')).toBe(1);
    expect(sample(text, `cartella_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/v1/staff/:staffId",status_code="200"}`)).toBe(3);
    // Route templates only: no id, no path a client made up.
    expect(text).not.toContain(w.a.staff.socialWorker.id);
    expect(text).not.toContain('RSSMRA80A01F205X');
  });

  it('report pool usage, the audit queue and requests in flight', async () => {
    const text = await t.app.operationsMetrics.registry.metrics();
    expect(sample(text, 'cartella_db_pool_connections{state="total"}')).toBe(t.app.pool.totalCount);
    expect(sample(text, 'cartella_db_pool_connections{state="idle"}')).toBe(t.app.pool.idleCount);
    expect(sample(text, 'cartella_db_pool_connections{state="waiting"}')).toBe(0);
    expect(sample(text, 'cartella_db_pool_max')).toBe(5);
    expect(sample(text, 'cartella_audit_queue_depth')).toBe(0);
    expect(sample(text, 'cartella_http_requests_in_flight')).toBe(0);
  });

  it('are served on METRICS_PORT (bound to 127.0.0.1) with process metrics, and not on the API port', async () => {
    const app = await buildApp(testConfig(t.databaseUrl, { METRICS_PORT: '0' }), { pool: t.app.pool });
    try {
      await app.ready();
      const address = app.operationsMetrics.address()!;
      expect(address.address).toBe('127.0.0.1');
      const response = await fetch(`http://127.0.0.1:${address.port}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      expect(sample(text, 'cartella_audit_queue_depth')).toBe(0);
      expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
      expect((await fetch(`http://127.0.0.1:${address.port}/other`)).status).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
    expect(t.app.operationsMetrics.address()).toBeNull();
  });

  it('METRICS_PORT is validated with the rest of the configuration', () => {
    expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow(ConfigError);
    expect(loadConfig({ METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(loadConfig({}).metrics.port).toBeUndefined();
  });
});
