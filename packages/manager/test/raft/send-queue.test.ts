import { describe, expect, it } from 'vitest';
import { SendQueue, type Outgoing } from '../../src/raft/send-queue.js';

const item = (bytes: number, snapshot = false): Outgoing => ({ encoded: 'x', bytes, snapshot });

/** What is queued for a slow peer is bounded by bytes, not by a count of messages. */
describe('SendQueue', () => {
  it('takes messages until their bytes reach the bound, then refuses new ones', () => {
    const q = new SendQueue({ maxMessageBytes: 100, maxQueueBytes: 100 });
    expect(q.push(item(60))).toBe('queued');
    expect(q.push(item(40))).toBe('queued');
    expect(q.push(item(1))).toBe('full');
    expect(q.bytes).toBe(100);
    q.shift();
    expect(q.bytes).toBe(40);
    expect(q.push(item(60))).toBe('queued');
  });

  it('takes a message larger than the queue bound when the queue is empty, but never one over the message size', () => {
    const q = new SendQueue({ maxMessageBytes: 1_000, maxQueueBytes: 100 });
    expect(q.push(item(1_001, true))).toBe('too-large');
    expect(q.push(item(900, true))).toBe('queued');
    expect(q.push(item(1))).toBe('full');
    expect(q.clear()).toBe(1);
    expect(q.bytes).toBe(0);
  });
});
