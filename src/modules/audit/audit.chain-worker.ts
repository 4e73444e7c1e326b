import { parentPort } from 'node:worker_threads';
import { SegmentCheck } from './audit.segment-check.js';

/**
 * A worker thread checking segments of the audit chain, one after the other (see WorkerSegmentCheck): it
 * receives the raw chunks of a segment's COPY, then null at its end, and answers `{ segment }` or `{ error }`.
 */
let check = new SegmentCheck();
parentPort!.on('message', (chunk: Uint8Array | null) => {
  if (chunk !== null) {
    check.onChunk(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    return;
  }
  try {
    parentPort!.postMessage({ segment: check.result() });
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
  check = new SegmentCheck();
});
