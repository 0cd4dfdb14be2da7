import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/**
 * A node that holds a valid certificate and sends the dispatcher whatever it likes. It speaks a
 * superset of the Dispatcher contract: the JSON text fields that carried the description and the
 * statuses before the typed messages (field 2 of SessionRequest and TaskStatusUpdate) and the
 * typed messages, so that the same attacks poison a dispatcher of either kind. Used by the
 * integration test (test/integration/poisoned-worker.test.ts) and, run by tsx inside a netns
 * host, by e2e/cluster/poisoned-worker.test.ts.
 */

const str = (id: number) => ({ type: 'string', id });
const DESCRIPTOR = {
  nested: {
    shoal: {
      nested: {
        v1: {
          nested: {
            Dispatcher: {
              methods: {
                Session: { requestType: 'SessionRequest', responseType: 'SessionMessage', responseStream: true },
                UpdateTaskStatus: { requestType: 'UpdateTaskStatusRequest', responseType: 'Empty' },
              },
            },
            Empty: { fields: {} },
            SessionRequest: { fields: { nodeId: str(1), descriptionJson: str(2), addr: str(3), description: { type: 'NodeDescription', id: 4 } } },
            SessionMessage: { fields: { sessionId: str(1), heartbeatPeriodMs: { type: 'uint32', id: 2 }, managers: { rule: 'repeated', type: 'string', id: 3 } } },
            NodeDescription: {
              fields: {
                hostname: str(1),
                platform: { type: 'Platform', id: 2 },
                resources: { type: 'Resources', id: 3 },
                engineVersion: str(4),
                engineLabels: { keyType: 'string', type: 'string', id: 5 },
              },
            },
            Platform: { fields: { os: str(1), architecture: str(2) } },
            Resources: { fields: { nanoCpus: { type: 'int64', id: 1 }, memoryBytes: { type: 'int64', id: 2 } } },
            TaskStatus: {
              fields: { state: str(1), timestamp: str(2), message: str(3), err: str(4), containerId: str(5), exitCode: { type: 'int32', id: 6 }, containerIp: str(7) },
            },
            TaskStatusUpdate: { fields: { taskId: str(1), statusJson: str(2), status: { type: 'TaskStatus', id: 3 } } },
            UpdateTaskStatusRequest: { fields: { nodeId: str(1), sessionId: str(2), updates: { rule: 'repeated', type: 'TaskStatusUpdate', id: 3 } } },
          },
        },
      },
    },
  },
};

/** What one call came to: its status code (0 when it succeeded) and the server's words. */
export interface Outcome {
  name: string;
  code: number;
  details: string;
}

type AnyClient = grpc.Client & Record<string, (...args: unknown[]) => unknown>;

const identity = (b: Buffer) => b;
const RAW_SERVICE: grpc.ServiceDefinition = Object.fromEntries(
  ['Session', 'UpdateTaskStatus'].map((m) => [
    m,
    { path: `/shoal.v1.Dispatcher/${m}`, requestStream: false, responseStream: m === 'Session', requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity },
  ]),
);

export class HostileDispatcher {
  private readonly typed: AnyClient;
  private readonly raw: AnyClient;
  private readonly open: grpc.ClientReadableStream<unknown>[] = [];

  constructor(target: string, credentials: grpc.ChannelCredentials, options: grpc.ChannelOptions = {}) {
    const definition = protoLoader.fromJSON(DESCRIPTOR as Parameters<typeof protoLoader.fromJSON>[0], { keepCase: false, longs: String, defaults: true });
    const loaded = grpc.loadPackageDefinition(definition) as unknown as { shoal: { v1: { Dispatcher: grpc.ServiceClientConstructor } } };
    const all = { ...options, 'grpc.max_send_message_length': 16 * 1024 * 1024 };
    this.typed = new loaded.shoal.v1.Dispatcher(target, credentials, all) as unknown as AnyClient;
    this.raw = new (grpc.makeGenericClientConstructor(RAW_SERVICE, 'RawDispatcher'))(target, credentials, all) as unknown as AnyClient;
  }

  /** Opens a session; resolves with its ID (code 0) or the refusal. The stream stays open. */
  session(name: string, request: Record<string, unknown>): Promise<Outcome & { sessionId: string }> {
    return this.firstMessage(name, this.typed.Session!(request) as grpc.ClientReadableStream<{ sessionId: string }>);
  }

  updateStatus(name: string, request: Record<string, unknown>): Promise<Outcome> {
    return new Promise((resolve) => {
      this.typed.UpdateTaskStatus!(request, { deadline: Date.now() + 20_000 }, (err: grpc.ServiceError | null) => resolve(outcome(name, err)));
    });
  }

  /** Bytes that are not a protobuf message of the method's type. */
  rawUpdateStatus(name: string, bytes: Buffer): Promise<Outcome> {
    return new Promise((resolve) => {
      this.raw.UpdateTaskStatus!(bytes, { deadline: Date.now() + 20_000 }, (err: grpc.ServiceError | null) => resolve(outcome(name, err)));
    });
  }

  rawSession(name: string, bytes: Buffer): Promise<Outcome> {
    return this.firstMessage(name, this.raw.Session!(bytes) as grpc.ClientReadableStream<unknown>);
  }

  close(): void {
    for (const call of this.open) call.cancel();
    this.typed.close();
    this.raw.close();
  }

  private firstMessage<T>(name: string, call: grpc.ClientReadableStream<T>): Promise<Outcome & { sessionId: string }> {
    this.open.push(call as grpc.ClientReadableStream<unknown>);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ name, code: grpc.status.DEADLINE_EXCEEDED, details: 'no answer in 20 s', sessionId: '' }), 20_000);
      const done = (o: Outcome & { sessionId: string }) => {
        clearTimeout(timer);
        resolve(o);
      };
      call.on('data', (m: T) => done({ name, code: 0, details: '', sessionId: (m as { sessionId?: string }).sessionId ?? '' }));
      call.on('error', (e: grpc.ServiceError) => done({ ...outcome(name, e), sessionId: '' }));
      call.on('end', () => done({ name, code: grpc.status.UNKNOWN, details: 'stream ended without a message', sessionId: '' }));
    });
  }
}

function outcome(name: string, err: grpc.ServiceError | null): Outcome {
  return err ? { name, code: err.code, details: (err.details ?? err.message).slice(0, 300) } : { name, code: 0, details: '' };
}
