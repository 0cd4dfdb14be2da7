import { assert } from '@shoal/common';

/**
 * Bytes of partly received messages that all incoming Raft streams together may hold. Shared by
 * the streams of one Raft service, so that many streams cannot each fill a buffer of their own.
 */
export class ReceiveBudget {
  private used = 0;

  constructor(readonly maxBytes: number) {
    assert(maxBytes > 0, 'a receive budget is positive');
  }

  get usedBytes(): number {
    return this.used;
  }

  take(bytes: number): boolean {
    if (this.used + bytes > this.maxBytes) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    assert(bytes <= this.used, 'a receive budget gets back no more than it gave');
    this.used -= bytes;
  }
}

export type Assembled =
  | { kind: 'partial' }
  | { kind: 'message'; json: string }
  /** The stream must be cut: `reason` says why, for the log and the peer. */
  | { kind: 'refused'; reason: string };

/**
 * Rebuilds the messages of one incoming Raft stream from its chunks (a message is the payloads
 * of consecutive chunks up to one with more = false), holding no more than `maxMessageBytes` of
 * one message and no more than the shared budget allows. Once it refuses, the stream is to be cut.
 */
export class ChunkAssembler {
  private parts: string[] = [];
  private bytes = 0;

  constructor(
    private readonly maxMessageBytes: number,
    private readonly budget: ReceiveBudget,
  ) {}

  /** `payloadBytes` is the payload's size on the wire (UTF-8), measured by the caller. */
  push(payload: string, payloadBytes: number, more: boolean): Assembled {
    if (this.bytes + payloadBytes > this.maxMessageBytes) {
      const seen = this.bytes + payloadBytes;
      this.release();
      return { kind: 'refused', reason: `a message exceeds the maximum Raft message size (${seen} bytes so far, max ${this.maxMessageBytes})` };
    }
    if (!this.budget.take(payloadBytes)) {
      this.release();
      return { kind: 'refused', reason: `incoming Raft streams hold ${this.budget.usedBytes} bytes of partial messages (max ${this.budget.maxBytes})` };
    }
    this.parts.push(payload);
    this.bytes += payloadBytes;
    if (more) return { kind: 'partial' };
    const json = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
    this.release();
    return { kind: 'message', json };
  }

  /** Drops what is held (the stream ended or was cut) and gives its bytes back to the budget. */
  release(): void {
    this.budget.give(this.bytes);
    this.parts = [];
    this.bytes = 0;
  }
}
