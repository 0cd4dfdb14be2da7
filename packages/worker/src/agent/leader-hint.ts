/**
 * The leader's address from a follower's refusal ("this manager is not the leader; the leader is
 * at HOST:PORT"), if the error names one: the agent's next session goes there instead of to the
 * next manager in its list (each refused attempt costs a TLS handshake on a follower).
 */
export function leaderHint(message: string): string | undefined {
  return /the leader is at ([^\s;,]+)/.exec(message)?.[1];
}
