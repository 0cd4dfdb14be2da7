import { MemoryStorage, type Entry, type HardState, type Snapshot } from '@shoal/raft';

type Write = { kind: 'snapshot'; snap: Snapshot } | { kind: 'hardState'; hs: HardState } | { kind: 'entries'; entries: Entry[] };

/**
 * A node's disk: `durable` is what survives a crash (and what the RaftNode reads, as the core only
 * reads entries it was told are stable); `unsynced` holds writes not yet fsynced, lost on a crash.
 */
export class SimStorage {
  readonly durable = new MemoryStorage();
  private unsynced: Write[] = [];
  fsyncs = 0;

  write(rd: { snapshot?: Snapshot; hardState?: HardState; entries: Entry[] }): void {
    if (rd.snapshot) this.unsynced.push({ kind: 'snapshot', snap: rd.snapshot });
    if (rd.hardState) this.unsynced.push({ kind: 'hardState', hs: rd.hardState });
    if (rd.entries.length > 0) this.unsynced.push({ kind: 'entries', entries: rd.entries });
  }

  fsync(): void {
    for (const w of this.unsynced) {
      if (w.kind === 'snapshot') this.durable.applySnapshot(w.snap);
      else if (w.kind === 'hardState') this.durable.setHardState(w.hs);
      else this.durable.append(w.entries);
    }
    if (this.unsynced.length > 0) this.fsyncs++;
    this.unsynced = [];
  }

  /** A crash: unsynced writes are gone. Returns how many were lost. */
  crash(): number {
    const lost = this.unsynced.length;
    this.unsynced = [];
    return lost;
  }
}
