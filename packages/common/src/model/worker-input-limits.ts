import { TASK_STATES, type TaskState } from './task-state.js';

/**
 * Bounds on what a node sends the dispatcher (its description, its address, its task statuses).
 * The dispatcher refuses anything beyond them before it reaches the store; an honest agent keeps
 * within them itself (it shortens long error texts before it sends them).
 */
export const WORKER_INPUT_LIMITS = {
  /** A DNS name is at most 253 characters; Linux host names are shorter still. */
  hostnameChars: 253,
  /** host:port, with an IPv6 address in brackets or a DNS name. */
  addrChars: 262,
  platformFieldChars: 64,
  engineVersionChars: 128,
  engineLabels: 256,
  engineLabelKeyChars: 512,
  engineLabelValueChars: 4096,
  /** The whole description, labels included, as UTF-16 code units of its fields. */
  descriptionChars: 64 * 1024,
  statusMessageChars: 4096,
  statusErrChars: 4096,
  timestampChars: 40,
  containerIdChars: 128,
  /** IPv6 text form, at its longest (with an embedded IPv4 address). */
  containerIpChars: 45,
  taskIdChars: 64,
  /** Status updates in one UpdateTaskStatus call; an agent sends larger batches in several calls. */
  updatesPerCall: 256,
} as const;

/** The states a node may report: from accepting a task to its end. The manager sets the others. */
export const WORKER_REPORTED_STATES: readonly TaskState[] = TASK_STATES.slice(TASK_STATES.indexOf('accepted'), TASK_STATES.indexOf('rejected') + 1);

/** Control characters other than tab and newlines: never in free text (messages, label values). */
export const TEXT_CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * `text` made fit to send: control characters (other than tab and newlines) become spaces and
 * a text longer than `max` characters is cut and marked as cut. For an agent's own texts, such as
 * an engine's error message.
 */
export function fitText(text: string, max: number): string {
  const clean = text.replace(TEXT_CONTROL_CHARS, ' ');
  if (clean.length <= max) return clean;
  const mark = '… (truncated)';
  return clean.slice(0, Math.max(0, max - mark.length)) + mark;
}
