import Fastify from 'fastify';
import pg from 'pg';

/**
 * The bare baseline of the HTTP benchmark: Fastify + pg with no auth, no access check, no audit — one
 * route selecting a row by primary key and one inserting a row, against the same database. What the
 * service costs on top of the unavoidable work is measured against this.
 */
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 10), application_name: 'bench-baseline' });
await pool.query('create table if not exists bench_baseline_rows (id bigserial primary key, payload text not null, created_at timestamptz not null default now())');
const app = Fastify();
app.get<{ Params: { id: string } }>('/cases/:id', async (request) => {
  const { rows } = await pool.query('select * from cases where id = $1', [request.params.id]);
  return rows[0];
});
app.post<{ Body: { payload: string } }>('/rows', async (request, reply) => {
  const { rows } = await pool.query('insert into bench_baseline_rows (payload) values ($1) returning id', [request.body.payload]);
  return reply.code(201).send(rows[0]);
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => pool.end()).then(() => process.exit(0)));
