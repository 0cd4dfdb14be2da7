import type Docker from 'dockerode';
import { dockerMessage, statusCodeOf } from './docker-errors.js';

/** Uses the local image when present, else pulls it; a failed pull explains both facts. */
export async function ensureImage(docker: Docker, ref: string): Promise<void> {
  try {
    await docker.getImage(ref).inspect();
    return;
  } catch (err) {
    if (statusCodeOf(err) !== 404) throw err;
  }
  try {
    await pull(docker, ref);
  } catch (err) {
    throw new Error(`No such image: ${ref} (and it could not be pulled: ${dockerMessage(err)})`);
  }
}

async function pull(docker: Docker, ref: string): Promise<void> {
  const stream = await docker.pull(ref);
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, events: { error?: string }[]) => {
      const failed = events?.find((e) => e.error);
      if (err) reject(err);
      else if (failed?.error) reject(new Error(failed.error));
      else resolve();
    });
  });
}
