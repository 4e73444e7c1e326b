import { z } from 'zod';
import { and, or, lt, eq, type SQL, type Column, type Placeholder } from 'drizzle-orm';
import { invalid } from './errors.js';

/**
 * Keyset (cursor) pagination, never OFFSET (SPEC §5). Items are ordered newest first by (createdAt, id);
 * the cursor is the opaque position of the last item returned.
 */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});
export type PageQuery = z.infer<typeof pageQuery>;

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

interface Position {
  at: string;
  id: string;
}

const positionSchema = z.object({ at: z.iso.datetime({ offset: true }), id: z.uuid() });

export function decodeCursor(cursor: string | undefined): Position | undefined {
  if (cursor === undefined) return undefined;
  try {
    return positionSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw invalid('query/cursor', 'is not a cursor this service issued');
  }
}

export function encodeCursor(position: { createdAt: Date | string; id: string }): string {
  const at = position.createdAt instanceof Date ? position.createdAt.toISOString() : position.createdAt;
  return Buffer.from(JSON.stringify({ at, id: position.id })).toString('base64url');
}

/** The keyset condition "strictly after the cursor" for a newest-first order on (createdAt, id). */
export function afterCursor(createdAt: Column, id: Column, cursor: string | undefined): SQL | undefined {
  const position = decodeCursor(cursor);
  if (!position) return undefined;
  return afterPosition(createdAt, id, new Date(position.at), position.id);
}

/** The same with the position's values given, or placeholders of a query built once. */
export function afterPosition(createdAt: Column, id: Column, at: Date | Placeholder, positionId: string | Placeholder): SQL | undefined {
  return or(lt(createdAt, at), and(eq(createdAt, at), lt(id, positionId)));
}

/** Fetch limit + 1 rows; this turns them into a page. */
export function toPage<T extends { createdAt: Date | string; id: string }, R>(rows: T[], limit: number, map: (row: T) => R) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(map), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
