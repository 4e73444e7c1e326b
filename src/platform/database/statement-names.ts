import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * Server-side prepared statements for every parameterised query, without naming them by hand. Each
 * distinct SQL text gets a name derived from its hash, so PostgreSQL parses it once per connection and can
 * reuse its plan: planning the access-scope conditions costs more than running them on a hot path.
 *
 * Bounded: the service runs a fixed set of query shapes, but a few vary with a list's length (`in ($1, $2)`);
 * past `maxNamedTexts` distinct texts, new ones run unnamed, so no connection accumulates statements without
 * limit. Queries without parameters (BEGIN, COMMIT, migrations' multi-statement scripts) keep the simple
 * protocol.
 */
const maxNamedTexts = 1000;
const names = new Map<string, string>();

export function statementName(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < maxNamedTexts) {
    name = `cartella_${createHash('sha1').update(text).digest('base64url')}`;
    names.set(text, name);
  }
  return name;
}

interface QueryConfigLike {
  text?: unknown;
  name?: unknown;
  values?: unknown[];
  /** Submittables (cursors, COPY streams) drive the protocol themselves: left alone. */
  submit?: unknown;
}

function withName(config: QueryConfigLike | string, values: unknown[] | undefined): QueryConfigLike | string {
  const plain = typeof config === 'string' ? { text: config } : config;
  if (typeof plain.text !== 'string' || plain.name || plain.submit !== undefined) return config;
  const parameters = Array.isArray(values) ? values : plain.values;
  if (!parameters || parameters.length === 0) return config;
  const name = statementName(plain.text);
  return name ? { ...plain, name } : config;
}

/** A pg Client whose parameterised queries become named prepared statements (pass it as the pool's Client). */
export class PreparingClient extends pg.Client {
  override query(...args: unknown[]): never {
    const [config, values] = args as [QueryConfigLike | string | null | undefined, unknown[] | undefined];
    if (config) args[0] = withName(config, values);
    return (super.query as (...a: unknown[]) => never)(...args);
  }
}
