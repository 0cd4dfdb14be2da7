import type { Platform, Task } from '@shoal/common';
import { normalizeArch } from '../constraint.js';
import { countNodes, type Filter } from '../filter.js';

function platformMatches(want: Platform, have: Platform): boolean {
  const osOk = want.os === '' || want.os.toLowerCase() === have.os.toLowerCase();
  const archOk = want.architecture === '' || normalizeArch(want.architecture) === normalizeArch(have.architecture);
  return osOk && archOk;
}

/** When the task lists platforms (its image's), the node must run one of them. */
export function platformFilter(): Filter {
  let platforms: readonly Platform[] = [];
  return {
    name: 'platform',
    setTask(task: Task) {
      platforms = task.spec.placement.platforms;
      return platforms.length > 0;
    },
    check: (info) => platforms.some((p) => platformMatches(p, info.node.description.platform)),
    explain: (n) => `unsupported platform on ${countNodes(n)}`,
  };
}
