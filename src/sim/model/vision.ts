/**
 * A camera on one station looking at every part it finishes: now and then a surface defect (class and confidence;
 * confident findings scrap the part), and once, at a scripted time, a label it cannot read.
 */
import type { SimConfig } from '../config.js';
import { Random, type Seed } from '../random.js';
import type { FinishedPart } from './machine.js';
import type { VisionUpdate } from './types.js';

/** The camera on one station. */
export class VisionModel {
  readonly #config: SimConfig['vision'];
  readonly #rng: Random;
  readonly #unreadableAt: number;
  #unreadableDone = false;

  constructor(config: SimConfig['vision'], seed: Seed, unreadableAt: number) {
    this.#config = config;
    this.#rng = new Random(seed, 'vision', config.camera);
    this.#unreadableAt = unreadableAt;
  }

  get machine(): string {
    return this.#config.machine;
  }

  /** Looks at a finished part: what the camera reports (if anything) and whether the part is scrap. */
  inspect(part: FinishedPart): { detection?: VisionUpdate; scrap: boolean } {
    const base = { kind: 'vision', camera: this.#config.camera, equipment: part.machine, serial: part.serial, workOrder: part.workOrder, ts: part.ts } as const;
    // Drawn for every part, so the scripted label does not shift the defect stream that follows it.
    const defective = this.#rng.chance(this.#config.defectRate);
    const defect = this.#rng.choice(this.#config.defectClasses);
    const confidence = Math.round(this.#rng.uniform(0.55, 0.99) * 100) / 100;
    if (!this.#unreadableDone && part.ts >= this.#unreadableAt) {
      this.#unreadableDone = true;
      return { detection: { ...base, detection: 'label-unreadable', confidence: 0.99 }, scrap: false };
    }
    if (!defective) return { scrap: false };
    return { detection: { ...base, detection: 'defect', defect, confidence }, scrap: confidence >= this.#config.scrapAboveConfidence };
  }
}
