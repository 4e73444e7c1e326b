import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * Rows for PostgreSQL's COPY … FROM STDIN in text format (tab-separated, `\N` for null), accumulated for one
 * chunk of the data set and then streamed in one COPY per table. A chunk is bounded (a few thousand cases),
 * so memory stays flat whatever the size of the data set.
 */
export type Cell = string | number | boolean | null | undefined;

const special = /[\\\t\n\r]/;
const specials = /[\\\t\n\r]/g;
const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function encode(cell: Cell): string {
  if (cell === null || cell === undefined) return '\\N';
  if (typeof cell === 'string') return special.test(cell) ? cell.replace(specials, (c) => escapes[c]!) : cell;
  if (typeof cell === 'boolean') return cell ? 't' : 'f';
  return String(cell);
}

export class TableRows {
  private lines: string[] = [];
  count = 0;

  constructor(
    readonly table: string,
    readonly columns: readonly string[],
  ) {}

  add(...cells: Cell[]): void {
    let line = encode(cells[0]);
    for (let i = 1; i < cells.length; i++) line += `\t${encode(cells[i])}`;
    this.lines.push(line);
    this.count++;
  }

  /** Takes the rows accumulated so far (the buffer is then empty). */
  drain(): string[] {
    const lines = this.lines;
    this.lines = [];
    return lines;
  }
}

/** Streams the buffered rows of each table, in the order given (parents before children). */
export async function copyRows(client: pg.ClientBase, tables: readonly TableRows[]): Promise<void> {
  for (const rows of tables) {
    const lines = rows.drain();
    if (lines.length === 0) continue;
    const stream = client.query(copyFrom(`COPY ${rows.table} (${rows.columns.join(', ')}) FROM STDIN`));
    await pipeline(Readable.from(batches(lines)), stream);
  }
}

/** Joined in slices so that no single string grows with the chunk. */
function* batches(lines: string[]): Generator<string> {
  const size = 2000;
  for (let i = 0; i < lines.length; i += size) yield `${lines.slice(i, i + size).join('\n')}\n`;
}
