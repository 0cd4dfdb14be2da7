import * as grpc from '@grpc/grpc-js';
import { CLUSTER_CHANNEL_OPTIONS, callUnary, loadProtos } from '@shoal/common/rpc';
import { unavailable, type Clock } from '@shoal/common';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Calls the Raft service on the leader: tries each address, following "the leader is at" hints. */
export async function askLeader<T>(
  managers: readonly string[],
  credentials: () => grpc.ChannelCredentials,
  clock: Clock,
  invoke: (client: RaftClient, opts: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r?: T) => void) => void,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = clock.now() + timeoutMs;
  const queue = [...managers];
  let lastError: unknown;
  for (let i = 0; clock.now() < deadline; i++) {
    const addr = queue[i % queue.length]!;
    const Raft = loadProtos().Raft as unknown as new (a: string, c: grpc.ChannelCredentials, o: object) => RaftClient;
    const client = new Raft(addr, credentials(), CLUSTER_CHANNEL_OPTIONS);
    try {
      return await callUnary<T>((opts, cb) => invoke(client, opts, cb), addr, 12_000);
    } catch (e) {
      lastError = e;
      const hint = /the leader is at (\S+)/.exec((e as Error).message)?.[1];
      if (hint && !queue.includes(hint)) queue.splice(i + 1, 0, hint);
      await sleep(200);
    } finally {
      client.close();
    }
  }
  throw lastError instanceof Error ? lastError : unavailable('no manager answered');
}

type Cb<T> = (e: grpc.ServiceError | null, r?: T) => void;
export interface RaftClient extends grpc.Client {
  Join(req: { addr: string }, opts: grpc.CallOptions, cb: Cb<never>): void;
  Leave(req: { nodeId: string }, opts: grpc.CallOptions, cb: Cb<never>): void;
}
