// Process-wide V8 settings, each applied by the module that needs it, with the measurement that
// justifies it. One process runs every role, so a setting here is a decision for all of them
// (docs/decisions.md records each).
import { setFlagsFromString } from 'node:v8';

let sweepingInPause = false;

/**
 * Free dead ArrayBuffers in the GC pause, not on a helper thread afterwards.
 *
 * A backup moves about 1.2 GB of Buffers through the process per 800 MB dumped (socket reads,
 * zstd output, ciphertext). With concurrent sweeping, V8 counted that as external memory pressure
 * and ran a full mark-compact every ~130 ms: 63–70 per run of bench/backups' fixture, and our CPU
 * for the run was 3.9–4.2 s. Swept in the pause, the same run took 7–10 mark-compacts and 2.5 s
 * of CPU, and its wall time fell from 9.8 s to 8.3 s. Scavenges stay short (a sweep of the young
 * buffers they freed). V8 reads the flag at each sweep, so setting it after start takes effect.
 */
export function sweepArrayBuffersInPause(): void {
  if (sweepingInPause) return;
  sweepingInPause = true;
  setFlagsFromString('--no-concurrent-array-buffer-sweeping');
}
