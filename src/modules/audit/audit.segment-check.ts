import { ChainChecker } from './audit.chain-checker.js';
import type { ChainSegment } from './audit.chain-segments.js';
import { CopyFraming } from './audit.copy-framing.js';
import type { CopyConsumer } from './audit.copy-out.js';

/** What checks one segment of the chain from the raw chunks of its COPY (see copyOut). */
export interface SegmentConsumer extends CopyConsumer {
  /** The segment, once the copy is over (or the consumer's failure). */
  finish(): Promise<ChainSegment>;
  /** Releases what it holds when the verification is abandoned. */
  dispose(): void;
}

/** Checks a segment on the calling thread. */
export class SegmentCheck implements SegmentConsumer {
  private readonly checker = new ChainChecker();
  private readonly framing = new CopyFraming((chunk, from, to) => this.checker.push(chunk, from, to));
  private failure: unknown = null;

  onChunk(chunk: Buffer): void {
    if (this.failure !== null) return;
    try {
      this.framing.push(chunk);
    } catch (error) {
      this.failure = error;
    }
  }

  /** Synchronous, for the worker that runs it. */
  result(): ChainSegment {
    if (this.failure !== null) throw this.failure;
    return this.checker.result();
  }

  async finish(): Promise<ChainSegment> {
    return this.result();
  }

  dispose(): void {}
}
