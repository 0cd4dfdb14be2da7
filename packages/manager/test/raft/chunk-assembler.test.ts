import { describe, expect, it } from 'vitest';
import { ChunkAssembler, ReceiveBudget } from '../../src/raft/chunk-assembler.js';

/** A peer's stream of chunks must never make the manager hold more than the limits say. */
describe('ChunkAssembler', () => {
  it('rebuilds a message from its chunks and gives the budget back', () => {
    const budget = new ReceiveBudget(100);
    const a = new ChunkAssembler(50, budget);
    expect(a.push('{"a":', 5, true)).toEqual({ kind: 'partial' });
    expect(budget.usedBytes).toBe(5);
    expect(a.push('1}', 2, false)).toEqual({ kind: 'message', json: '{"a":1}' });
    expect(budget.usedBytes).toBe(0);
  });

  it('refuses an endless message once it passes the message size', () => {
    const budget = new ReceiveBudget(1_000);
    const a = new ChunkAssembler(50, budget);
    const outcomes: string[] = [];
    for (let i = 0; i < 1_000 && outcomes.at(-1) !== 'refused'; i++) outcomes.push(a.push('x'.repeat(10), 10, true).kind);
    expect(outcomes).toEqual(['partial', 'partial', 'partial', 'partial', 'partial', 'refused']);
    expect(budget.usedBytes).toBe(0);
  });

  it('names the limit in the reason', () => {
    const a = new ChunkAssembler(8, new ReceiveBudget(100));
    const r = a.push('x'.repeat(9), 9, true);
    expect(r).toEqual({ kind: 'refused', reason: 'a message exceeds the maximum Raft message size (9 bytes so far, max 8)' });
  });

  it('shares one budget between streams, so many streams cannot each fill a buffer', () => {
    const budget = new ReceiveBudget(30);
    const streams = [new ChunkAssembler(20, budget), new ChunkAssembler(20, budget)];
    expect(streams[0]!.push('x'.repeat(20), 20, true).kind).toBe('partial');
    const second = streams[1]!.push('y'.repeat(15), 15, true);
    expect(second.kind).toBe('refused');
    expect(second.kind === 'refused' && second.reason).toMatch(/hold 20 bytes of partial messages \(max 30\)/);
    streams[0]!.release();
    expect(budget.usedBytes).toBe(0);
    expect(streams[1]!.push('y'.repeat(15), 15, false).kind).toBe('message');
  });
});
