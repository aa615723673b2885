/**
 * Tone detection for the audio checks: reads the 16-bit PCM a baresip far end with the sndfile
 * module writes (its received audio), and measures how much of a stretch's energy is one
 * frequency (a Goertzel filter; 1.0 for a pure tone at that frequency, near 0 for silence or
 * another tone).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface Pcm {
  readonly rate: number;
  readonly samples: Int16Array;
}

/** The newest `*-dec.wav` (audio the phone received) in `dir`, or undefined. */
export function receivedAudioFile(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir).filter((name) => name.endsWith('-dec.wav')).sort();
  const last = files.at(-1);
  return last ? path.join(dir, last) : undefined;
}

/** The samples of a WAV file still being written (its size fields may not be final yet). */
export function readPcm(file: string): Pcm {
  const bytes = readFileSync(file);
  const rate = bytes.readUInt32LE(24);
  const channels = bytes.readUInt16LE(22);
  let offset = 12;
  while (offset + 8 <= bytes.length && bytes.toString('ascii', offset, offset + 4) !== 'data') {
    offset += 8 + bytes.readUInt32LE(offset + 4);
  }
  const start = offset + 8;
  const count = Math.floor((bytes.length - start) / 2 / channels);
  const samples = new Int16Array(count);
  for (let index = 0; index < count; index += 1) samples[index] = bytes.readInt16LE(start + index * 2 * channels);
  return { rate, samples };
}

/** The share of the energy of `samples` at `hz` (0…1). */
export function toneShare(samples: Int16Array, rate: number, hz: number): number {
  const n = samples.length;
  if (n === 0) return 0;
  const coefficient = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let previous = 0;
  let beforePrevious = 0;
  let energy = 0;
  for (const sample of samples) {
    const current = sample + coefficient * previous - beforePrevious;
    beforePrevious = previous;
    previous = current;
    energy += sample * sample;
  }
  if (energy === 0) return 0;
  const power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
  return (2 * power) / n / energy;
}

/** Resolves once `file` holds at least `samples` samples (a long safety timeout is the test's). */
export async function waitForSamples(dir: string, samples: number): Promise<Pcm> {
  for (;;) {
    const file = receivedAudioFile(dir);
    if (file) {
      const pcm = readPcm(file);
      if (pcm.samples.length >= samples) return pcm;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
