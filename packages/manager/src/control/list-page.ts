import { failedPrecondition, formatBytes, utf8Length } from '@shoal/common';

/**
 * A page of a listing holds objects up to this many bytes of JSON (one object at least, and a
 * service spec is at most 512 KiB): far below the 4 MiB a gRPC client accepts by default, on the
 * CLI's socket and on the hop from a follower to the leader alike.
 */
export const MAX_PAGE_BYTES = 2 * 1024 * 1024;

/**
 * The whole listing for a caller that does not page (a CLI older than paging): it fits in the 4 MiB
 * such a client accepts, less room for the envelope, or the caller is told to upgrade.
 */
export const MAX_UNPAGED_BYTES = 4 * 1024 * 1024 - 64 * 1024;

/** What a list reply carries, field by field. */
export interface ListPage {
  objectsJson: string[];
  nextPageToken: string;
}

/** Bytes an object takes in the reply: its JSON plus the field's tag and length. */
const wireBytes = (json: string) => utf8Length(json) + 6;

/**
 * The page of `objects` that starts after `token` (an object ID; "" for the first page), in ID
 * order so that a page boundary stays put while objects come and go: an object created or removed
 * between two pages is listed once or not at all, never twice.
 */
export function listPage<T extends { id: string }>(objects: readonly T[], token: string, maxBytes = MAX_PAGE_BYTES): ListPage {
  const after = objects.filter((o) => o.id > token).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const page: ListPage = { objectsJson: [], nextPageToken: '' };
  let bytes = 0;
  for (const object of after) {
    const json = JSON.stringify(object);
    if (page.objectsJson.length > 0 && bytes + wireBytes(json) > maxBytes) {
      page.nextPageToken = after[page.objectsJson.length - 1]!.id;
      break;
    }
    page.objectsJson.push(json);
    bytes += wireBytes(json);
  }
  return page;
}

/** Every object in one reply, for a caller that does not page; refused when it would not fit. */
export function wholeList(objects: readonly unknown[], maxBytes = MAX_UNPAGED_BYTES): ListPage {
  const objectsJson = objects.map((o) => JSON.stringify(o));
  const bytes = objectsJson.reduce((n, json) => n + wireBytes(json), 0);
  if (bytes > maxBytes) {
    throw failedPrecondition(`the listing is ${formatBytes(bytes)}, more than one reply holds (${formatBytes(maxBytes)}); this shoal CLI is older than its shoald and cannot page: upgrade the CLI`);
  }
  return { objectsJson, nextPageToken: '' };
}
