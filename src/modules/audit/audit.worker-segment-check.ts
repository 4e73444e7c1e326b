import { Worker } from 'node:worker_threads';
import type { ChainSegment } from './audit.chain-segments.js';
import type { SegmentConsumer } from './audit.segment-check.js';

/**
 * Checks a segment in a worker thread (audit.chain-worker.ts), so that the hashing of parallel streams runs
 * on every core. The main thread only passes the socket's bytes on: large chunks are moved (not copied) to
 * the worker as they are, small ones gathered into batches first — a message per small chunk would cost
 * more than the copy.
 *
 * Workers start on first use and are kept for the next verification (starting one costs tens of ms, and far
 * more from the TypeScript sources), unref'd while idle so that they never keep the process alive. A worker
 * whose segment was abandoned or failed is terminated rather than kept.
 */
const batchBytes = 256 * 1024;
const largeChunkBytes = 32 * 1024;
const idleWorkers: Worker[] = [];
const maxIdleWorkers = 8;

type WorkerAnswer = { segment: ChainSegment } | { error: string };

export class WorkerSegmentCheck implements SegmentConsumer {
  private readonly worker = idleWorkers.pop() ?? startWorker();
  private readonly answer: Promise<ChainSegment>;
  private batch = Buffer.allocUnsafeSlow(batchBytes);
  private batchLength = 0;
  private failure: unknown = null;
  private done = false;

  constructor() {
    this.worker.removeAllListeners();
    this.worker.ref();
    this.answer = new Promise((resolve, reject) => {
      this.worker.on('message', (answer: WorkerAnswer) => ('error' in answer ? reject(new Error(answer.error)) : resolve(segmentOf(answer.segment))));
      this.worker.on('error', reject);
      this.worker.on('exit', (code) => reject(new Error(`audit chain worker exited with code ${code}`)));
    });
    // Awaited by finish(); a worker that fails before then must not count as an unhandled rejection.
    this.answer.catch(() => {});
  }

  onChunk(chunk: Buffer): void {
    if (this.failure !== null) return;
    try {
      if (chunk.length >= largeChunkBytes) {
        // Large enough to go alone: moved as it is when it owns its memory (socket chunks do), else copied.
        this.flush();
        this.post(ownsItsMemory(chunk) ? chunk : ownCopy(chunk));
        return;
      }
      if (this.batchLength + chunk.length > batchBytes) this.flush();
      this.batchLength += chunk.copy(this.batch, this.batchLength);
    } catch (error) {
      this.failure = error;
    }
  }

  async finish(): Promise<ChainSegment> {
    if (this.failure !== null) throw this.failure;
    this.flush();
    this.worker.postMessage(null);
    const segment = await this.answer;
    this.done = true;
    return segment;
  }

  /** Keeps a worker that answered for the next verification; stops one that did not. */
  dispose(): void {
    this.worker.removeAllListeners();
    if (this.done && idleWorkers.length < maxIdleWorkers) {
      const worker = this.worker;
      worker.unref();
      worker.once('exit', () => {
        const index = idleWorkers.indexOf(worker);
        if (index >= 0) idleWorkers.splice(index, 1);
      });
      idleWorkers.push(worker);
    } else {
      void this.worker.terminate();
    }
  }

  private flush(): void {
    if (this.batchLength === 0) return;
    this.post(this.batch.subarray(0, this.batchLength));
    this.batch = Buffer.allocUnsafeSlow(batchBytes);
    this.batchLength = 0;
  }

  /** Moves the bytes' memory to the worker: `bytes` must be the whole of a buffer of its own. */
  private post(bytes: Buffer): void {
    this.worker.postMessage(bytes, [bytes.buffer as ArrayBuffer]);
  }
}

/**
 * Run from the TypeScript sources (tsx, vitest: development only) the worker is the .ts file, and it first
 * registers tsx's loader, which Node 20 does not pass on to worker threads.
 */
function startWorker(): Worker {
  const fromSources = import.meta.url.endsWith('.ts');
  const url = new URL(fromSources ? './audit.chain-worker.ts' : './audit.chain-worker.js', import.meta.url);
  if (!fromSources) return new Worker(url);
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`, { eval: true });
}

function ownsItsMemory(bytes: Buffer): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
}

function ownCopy(bytes: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}

/** Buffers come back from a worker as plain Uint8Arrays. */
function segmentOf(segment: ChainSegment): ChainSegment {
  const buffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    ...segment,
    first: segment.first && { seq: segment.first.seq, prevHash: buffer(segment.first.prevHash) },
    last: segment.last && { seq: segment.last.seq, hash: buffer(segment.last.hash) },
  };
}
