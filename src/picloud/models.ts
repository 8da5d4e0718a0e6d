// The hardware catalogue: what each Pi model is on paper, and how the reference API numbers models.
import type { PiModel } from './drivers/index.js';
import { piModels } from './drivers/index.js';

export { piModels };
export type { PiModel };

/** What an operator enrols unless told otherwise; 4B memory and clock vary per board. */
export const modelDefaults: Record<PiModel, { memoryMb: number; cpuMhz: number; nicMbps: number }> =
  {
    '1B': { memoryMb: 512, cpuMhz: 700, nicMbps: 100 },
    '2B': { memoryMb: 1024, cpuMhz: 900, nicMbps: 100 },
    '3B': { memoryMb: 1024, cpuMhz: 1200, nicMbps: 100 },
    // Gigabit Ethernet behind USB 2.0: about 300 Mbit/s in practice.
    '3B+': { memoryMb: 1024, cpuMhz: 1400, nicMbps: 300 },
    '4B': { memoryMb: 4096, cpuMhz: 1500, nicMbps: 1000 },
    // No Ethernet of its own: it netboots through a USB adapter.
    'Zero W': { memoryMb: 512, cpuMhz: 1000, nicMbps: 100 },
  };

/**
 * The reference API's integer `model` (3 or 4). Older boards get their own numbers, and the
 * Zero W is 0: a Bestiary extension, since the reference only sells 3 and 4.
 */
export const apiModelOf: Record<PiModel, number> = {
  '1B': 1,
  '2B': 2,
  '3B': 3,
  '3B+': 3,
  '4B': 4,
  'Zero W': 0,
};

/** The boards an API model number may turn out to be (a "3" is a 3B or a 3B+). */
export function modelsForApiNumber(n: number): PiModel[] {
  return piModels.filter((m) => apiModelOf[m] === n);
}

export function isPiModel(value: string): value is PiModel {
  return (piModels as readonly string[]).includes(value);
}
