import type { Service } from '@shoal/common';

/**
 * New tasks one reconcile pass may create for one service. A service that needs more gets them in
 * later passes: each pass's commit produces task events that mark the service dirty again. So no
 * spec, however large its replica count, makes one pass build more than this many task objects.
 */
export const MAX_NEW_TASKS_PER_PASS = 1_000;

/**
 * Bytes of new tasks one pass may create for one service (each task carries a copy of the spec),
 * so a pass's transaction stays far below the 8 MiB a peer accepts in one message.
 */
export const MAX_NEW_TASK_BYTES_PER_PASS = 4 * 1024 * 1024;

/** How many tasks for empty slots a pass may create for `service`: at least one, at most the limits above. */
export function newTaskBudget(service: Service): number {
  const taskBytes = Math.max(1, JSON.stringify(service.spec).length);
  return Math.max(1, Math.min(MAX_NEW_TASKS_PER_PASS, Math.floor(MAX_NEW_TASK_BYTES_PER_PASS / taskBytes)));
}
