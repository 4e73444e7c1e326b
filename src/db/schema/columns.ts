import { sql } from 'drizzle-orm';
import { integer, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Columns every aggregate shares: a UUID id, creation time and an optimistic-concurrency version. */
export const id = () => uuid('id').primaryKey().default(sql`gen_random_uuid()`);
// Millisecond precision: the same as a JS Date, so keyset cursors round-trip exactly.
export const createdAt = () => timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
export const version = () => integer('version').notNull().default(1);
export const tstz = (name: string) => timestamp(name, { withTimezone: true });
