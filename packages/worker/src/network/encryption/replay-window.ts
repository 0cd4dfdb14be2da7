/**
 * Anti-replay for one (sender session, key) stream (RFC 4303 §3.4.3, a 1,024-datagram window):
 * a counter is accepted once, and only if it is newer than the highest seen or within the window
 * below it. Mark a counter only after its datagram authenticated, so forged datagrams cannot move
 * the window.
 */
export const REPLAY_WINDOW = 1024;
const WORDS = REPLAY_WINDOW / 32;

export class ReplayWindow {
  private highest = -1n;
  private readonly bits = new Uint32Array(WORDS);

  /** True if the counter may be opened (not seen, not too old). Does not mark it. */
  check(counter: bigint): boolean {
    if (counter > this.highest) return true;
    const behind = this.highest - counter;
    if (behind >= BigInt(REPLAY_WINDOW)) return false;
    return !this.isSet(counter);
  }

  /** Records an authenticated counter; returns false if it was a replay after all. */
  mark(counter: bigint): boolean {
    if (!this.check(counter)) return false;
    if (counter > this.highest) {
      const shift = counter - this.highest;
      if (shift >= BigInt(REPLAY_WINDOW)) this.bits.fill(0);
      else for (let c = this.highest + 1n; c < counter; c++) this.clear(c);
      this.highest = counter;
    }
    this.set(counter);
    return true;
  }

  private slot(counter: bigint): [number, number] {
    const i = Number(counter % BigInt(REPLAY_WINDOW));
    return [i >>> 5, 1 << (i & 31)];
  }

  private isSet(counter: bigint): boolean {
    const [w, m] = this.slot(counter);
    return ((this.bits[w] ?? 0) & m) !== 0;
  }

  private set(counter: bigint): void {
    const [w, m] = this.slot(counter);
    this.bits[w] = (this.bits[w] ?? 0) | m;
  }

  private clear(counter: bigint): void {
    const [w, m] = this.slot(counter);
    this.bits[w] = (this.bits[w] ?? 0) & ~m;
  }
}
