import type { Duplex } from 'node:stream';
import type pg from 'pg';
import { CopyFraming } from './audit.copy-framing.js';

/**
 * Runs `COPY … TO STDOUT` on `client` and hands every socket chunk of the copy to `onChunk` as it arrives, cut
 * at the copy's end: the rows are read where they lie, never sliced, concatenated or turned into stream
 * events (as pg-copy-streams does, at a cost close to that of hashing them). For the copy's duration the
 * socket's data goes here instead of to pg's parser, which gets it back — and parses CommandComplete and
 * ReadyForQuery, or the server's error — at the first byte that is not part of the copy.
 *
 * The client must have no other query in flight. The consumer may keep the chunks (they are not reused: it
 * may even transfer them to a worker) and must not throw — it runs inside the socket's event — but keep its
 * failure for when the promise resolves, so that the copy is read to its end and the connection stays usable.
 */
export interface CopyConsumer {
  /** Every chunk of the copy, whole: the consumer walks its messages with a CopyFraming of its own. */
  onChunk(chunk: Buffer): void;
}

export function copyOut(client: pg.PoolClient, sql: string, consumer: CopyConsumer): Promise<void> {
  return new Promise((resolve, reject) => {
    client.query(new CopyOutQuery(sql, consumer, resolve, reject));
  });
}

class CopyOutQuery implements pg.Submittable {
  private socket: Duplex | null = null;
  private pgListener: ((chunk: Buffer) => void) | null = null;
  /** Finds where the copy ends; the rows themselves are the consumer's. */
  private readonly framing = new CopyFraming(() => {});
  private readonly onData = (chunk: Buffer) => this.forward(chunk);

  constructor(
    private readonly text: string,
    private readonly consumer: CopyConsumer,
    private readonly resolve: () => void,
    private readonly reject: (error: Error) => void,
  ) {}

  /** pg reports an error returned here through handleError. */
  submit(connection: pg.Connection): Error | undefined {
    const socket = connection.stream;
    const [pgListener, ...others] = socket.listeners('data') as ((chunk: Buffer) => void)[];
    if (!pgListener || others.length > 0) return new Error('copyOut: the connection has unexpected data listeners');
    this.socket = socket;
    this.pgListener = pgListener;
    socket.removeListener('data', pgListener);
    socket.on('data', this.onData);
    connection.query(this.text);
    return undefined;
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    this.resolve();
  }

  /** A server error (pg gives the query up, and no ReadyForQuery reaches it), or a lost connection. */
  handleError(error: Error): void {
    this.detach(null);
    this.reject(error);
  }

  private forward(chunk: Buffer): void {
    const rest = this.framing.push(chunk);
    if (rest === null) {
      this.consumer.onChunk(chunk);
      return;
    }
    // pg gets its part (a copy: the consumer may transfer the chunk away) before the consumer gets the copy's
    // end; the rest may begin with a header cut by the last chunk (see CopyFraming), which is not the consumer's.
    this.detach(rest);
    const end = chunk.length - rest.length;
    if (end > 0) this.consumer.onChunk(chunk.subarray(0, end));
  }

  /** Gives the socket back to pg, with the bytes that follow the copy. */
  private detach(rest: Buffer | null): void {
    if (!this.socket || !this.pgListener) return;
    this.socket.removeListener('data', this.onData);
    this.socket.on('data', this.pgListener);
    const listener = this.pgListener;
    this.socket = null;
    this.pgListener = null;
    if (rest && rest.length > 0) listener(Buffer.from(rest));
  }
}
