/** Orders two dotted versions numerically ("0.10.0" after "0.9.1"); anything unparsable compares equal. */
function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map(Number);
  const pb = b.split(/[.-]/).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (Number.isNaN(x) || Number.isNaN(y)) return 0;
    if (x !== y) return x - y;
  }
  return 0;
}

/**
 * The one line for a call the daemon does not know: which versions differ and which side to
 * upgrade. `daemonVersion` is undefined when the daemon could not even say (an older shoald).
 */
export function versionMismatchLine(method: string, cliVersion: string, daemonVersion: string | undefined): string {
  if (!daemonVersion) {
    return `shoal CLI ${cliVersion} is newer than its shoald: the daemon does not know ${method}; upgrade shoald to ${cliVersion} (or use the CLI of the daemon's version)`;
  }
  const order = compareVersions(cliVersion, daemonVersion);
  if (order === 0) {
    return `shoal CLI and shoald both say ${cliVersion} but differ: the daemon does not know ${method}; install the CLI and shoald from the same build`;
  }
  const upgrade = order > 0 ? `upgrade shoald to ${cliVersion}` : `upgrade the CLI to ${daemonVersion}`;
  return `shoal CLI ${cliVersion} and shoald ${daemonVersion} differ: the daemon does not know ${method}; ${upgrade}`;
}
