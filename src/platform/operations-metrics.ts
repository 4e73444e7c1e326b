import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Config } from '../config.js';
import type { AuditWriter } from './audit/audit-writer.js';

/**
 * Prometheus metrics for operations (alerts in ALERTS.md): request rate and latency by route and status,
 * requests in flight, database pool usage and the audit queue. They hold no personal data: routes are
 * templates (`/v1/staff/:staffId`), never URLs. Served on a port of their own (METRICS_PORT, bound to
 * METRICS_HOST, 127.0.0.1 by default) so that the public API never exposes them; measured always, so that
 * tests read them without a port.
 */
declare module 'fastify' {
  interface FastifyInstance {
    operationsMetrics: OperationsMetrics;
  }
}

export interface OperationsMetrics {
  registry: Registry;
  /** Where the metrics endpoint listens once the app is ready; null when METRICS_PORT is unset. */
  address(): AddressInfo | null;
}

interface Options {
  metrics: Config['metrics'];
  pool: pg.Pool;
  auditWriter: AuditWriter;
}

export const operationsMetricsPlugin = fp(
  async (app: FastifyInstance, { metrics, pool, auditWriter }: Options) => {
    const registry = new Registry();
    const duration = new Histogram({
      name: 'cartella_http_request_duration_seconds',
      help: 'Time from receiving a request to sending its answer; its _count is the request rate',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    const inFlight = new Gauge({ name: 'cartella_http_requests_in_flight', help: 'Requests being served', registers: [registry] });
    new Gauge({
      name: 'cartella_db_pool_connections',
      help: 'Database pool connections: total open, idle, and requests waiting for one',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
    new Gauge({
      name: 'cartella_db_pool_max',
      help: 'Most connections the pool may open (DB_POOL_SIZE)',
      registers: [registry],
      collect() {
        this.set(pool.options.max ?? 10);
      },
    });
    new Gauge({
      name: 'cartella_audit_queue_depth',
      help: 'Audit events waiting for their group commit',
      registers: [registry],
      collect() {
        this.set(auditWriter.depth);
      },
    });

    app.addHook('onRequest', async () => {
      inFlight.inc();
    });
    app.addHook('onResponse', async (request, reply) => {
      inFlight.dec();
      duration.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });

    let server: Server | null = null;
    if (metrics.port !== undefined) {
      // Process metrics (memory, event loop lag, GC) keep observers running: only for a served endpoint.
      collectDefaultMetrics({ register: registry });
      server = createServer((request, response) => {
        if (request.method !== 'GET' || request.url !== '/metrics') {
          response.writeHead(404).end();
          return;
        }
        registry.metrics().then(
          (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
          () => response.writeHead(500).end(),
        );
      });
      app.addHook('onReady', async () => {
        await new Promise<void>((resolve, reject) => {
          server!.once('error', reject).listen(metrics.port, metrics.host, () => resolve());
        });
        const { address, port } = server!.address() as AddressInfo;
        app.log.info(`Metrics listening at http://${address.includes(':') ? `[${address}]` : address}:${port}/metrics`);
      });
      app.addHook('onClose', async () => {
        if (!server!.listening) return;
        const closed = new Promise((resolve) => server!.close(resolve));
        // A scraper's keep-alive connection would hold the shutdown until the grace period ends.
        server!.closeAllConnections();
        await closed;
      });
    }

    app.decorate('operationsMetrics', {
      registry,
      address: () => (server?.listening ? (server.address() as AddressInfo) : null),
    });
  },
  { name: 'cartella-operations-metrics' },
);
