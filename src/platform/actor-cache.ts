import pg from 'pg';
import type { ActorRecord } from '../access/actor.js';

/**
 * Who a token's subject is, cached per instance: reading it costs a round trip on every request, as much as
 * the work many requests come for. The cache stays exact because it is dropped whenever the rows it is read
 * from change (migration 0010: a NOTIFY at commit, heard on a connection of its own), and, for changes made
 * through this instance, before the answer of the request that made them leaves (`invalidate`).
 *
 * Without that connection the cache is off: while it is down (database restart) every request reads the
 * database, as if there were no cache, until LISTEN is established again. A lookup that raced with a
 * change (the notification came while it was reading) is answered but not kept. Only active actors are
 * kept; an entry also expires after `ttlMs`, a bound on anything the notifications could miss.
 */
const channel = 'cartella_actors_changed';
const maxEntries = 10_000;
const reconnectDelaysMs = [250, 1_000, 5_000, 15_000];

export interface CachedActorLookup {
  start(): Promise<void>;
  lookup(subject: string, load: () => Promise<ActorRecord | null>): Promise<ActorRecord | null>;
  invalidate(): void;
  close(): Promise<void>;
}

export class ActorCache implements CachedActorLookup {
  private entries = new Map<string, { actor: ActorRecord; expiresAt: number }>();
  /** Bumped on every invalidation: a lookup started under an older generation is not kept. */
  private generation = 0;
  private listening = false;
  private closed = false;
  private listener: pg.Client | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private failures = 0;

  constructor(
    private readonly connectionOptions: pg.ClientConfig,
    private readonly ttlMs: number,
    private readonly onListenError: (error: Error) => void = () => {},
  ) {}

  /** Starts listening; resolves once the cache is on, or off after a failed first attempt (it keeps trying). */
  async start(): Promise<void> {
    await this.listen();
  }

  async lookup(subject: string, load: () => Promise<ActorRecord | null>) {
    if (!this.listening) return load();
    const cached = this.entries.get(subject);
    if (cached && cached.expiresAt > Date.now()) return cached.actor;
    const generation = this.generation;
    const actor = await load();
    if (actor?.active && this.listening && generation === this.generation) {
      if (this.entries.size >= maxEntries) this.entries.clear();
      this.entries.set(subject, { actor, expiresAt: Date.now() + this.ttlMs });
    }
    return actor;
  }

  invalidate(): void {
    this.generation++;
    this.entries.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.stopListening();
    await this.listener?.end().catch(() => {});
    this.listener = null;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client(this.connectionOptions);
    this.listener = client;
    client.on('notification', () => this.invalidate());
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('actor cache listener connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
      if (this.closed || this.listener !== client) return;
      // Changes made while nobody was listening are unknown: start empty.
      this.invalidate();
      this.listening = true;
      this.failures = 0;
    } catch (error) {
      this.lost(client, error as Error);
    }
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.listener !== client) return;
    this.stopListening();
    this.listener = null;
    client.end().catch(() => {});
    if (this.closed) return;
    this.onListenError(error);
    const delay = reconnectDelaysMs[Math.min(this.failures++, reconnectDelaysMs.length - 1)];
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.listen();
    }, delay);
    this.reconnectTimer.unref();
  }

  private stopListening(): void {
    this.listening = false;
    this.invalidate();
  }
}

/** AUTH_ACTOR_CACHE_SECONDS=0: every request reads its actor from the database. */
export const noActorCache: CachedActorLookup = {
  start: async () => {},
  lookup: (_subject, load) => load(),
  invalidate: () => {},
  close: async () => {},
};
