/** What a simulation run returns (or throws), and its one-paragraph summary for the CLI. */

/** The counters a run keeps as it goes; they are part of its result. */
export interface SimStats {
  crashes: number;
  crashesLosingWrites: number;
  pauses: number;
  partitions: number;
  transfers: number;
  messagesSent: number;
  messagesLost: number;
  snapshotsTaken: number;
  snapshotsRestored: number;
  opsInvoked: number;
  opsAcked: number;
  opsUnknown: number;
}

export function emptyStats(): SimStats {
  return {
    crashes: 0,
    crashesLosingWrites: 0,
    pauses: 0,
    partitions: 0,
    transfers: 0,
    messagesSent: 0,
    messagesLost: 0,
    snapshotsTaken: 0,
    snapshotsRestored: 0,
    opsInvoked: 0,
    opsAcked: 0,
    opsUnknown: 0,
  };
}

export interface SimResult extends SimStats {
  seed: number;
  nodes: number;
  steps: number;
  simulatedMs: number;
  traceHash: string;
  leadersElected: number;
  maxTerm: number;
  committed: number;
  /** Simulated ms from the final put to its acknowledgement. */
  progressMs: number;
  linearizable: boolean;
  trace?: string[];
}

/** A violated invariant, with what is needed to replay it. */
export class SimFailure extends Error {
  constructor(
    readonly seed: number,
    readonly step: number,
    readonly time: number,
    readonly invariant: string,
    readonly recent: string[],
    /** The whole trace, when the run was verbose. */
    readonly trace?: string[],
    /** Extra `npm run sim` arguments to replay it (nodes, bug). */
    replayArgs = '',
  ) {
    super(`seed ${seed}, step ${step}, t=${time}ms: ${invariant}\nlast events:\n  ${recent.join('\n  ')}\nreplay: npm run sim -- --seed ${seed}${replayArgs} --verbose`);
    this.name = 'SimFailure';
  }
}

/** One line per result, for the CLI. */
export function summarize(r: SimResult): string {
  return [
    `seed ${r.seed}: ${r.nodes} nodes, ${r.simulatedMs} simulated ms, ${r.steps} steps`,
    `  leaders elected ${r.leadersElected}, max term ${r.maxTerm}, entries committed ${r.committed}`,
    `  crashes ${r.crashes} (${r.crashesLosingWrites} losing unsynced writes), pauses ${r.pauses}, partitions ${r.partitions}, transfers ${r.transfers}`,
    `  messages ${r.messagesSent} sent, ${r.messagesLost} lost; snapshots ${r.snapshotsTaken} taken, ${r.snapshotsRestored} restored from a leader`,
    `  client ops ${r.opsInvoked} invoked, ${r.opsAcked} acknowledged, ${r.opsUnknown} unknown outcome; final put acknowledged in ${r.progressMs} ms`,
    `  linearizable ${r.linearizable ? 'yes' : 'no'}; trace hash ${r.traceHash}`,
  ].join('\n');
}
