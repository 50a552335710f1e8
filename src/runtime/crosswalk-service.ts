/**
 * The crosswalk as the runtime holds it: mappings from plant.yaml plus those learnt while running (API, CLI),
 * which are kept in the record store so a restart knows them too.
 */
import { Crosswalk, type CrosswalkMapping } from '../core/crosswalk.js';
import { InputError } from '../core/errors.js';
import { contentId } from '../core/pipeline/index.js';
import type { CrosswalkEntry } from '../core/plant-config.js';
import type { PlantModel } from '../core/plant-model.js';
import type { RecordStore } from '../core/store.js';

const KIND = 'crosswalk-mapping';

export class CrosswalkService {
  readonly crosswalk: Crosswalk;
  readonly #records: RecordStore;
  readonly #plant: PlantModel;

  private constructor(crosswalk: Crosswalk, records: RecordStore, plant: PlantModel) {
    this.crosswalk = crosswalk;
    this.#records = records;
    this.#plant = plant;
  }

  /** Loads the configured mappings, then the learnt ones (which win where they overlap: they are newer). */
  static async load(entries: readonly CrosswalkEntry[] | undefined, records: RecordStore, plant: PlantModel): Promise<CrosswalkService> {
    const crosswalk = Crosswalk.fromConfig(entries);
    for (const { value } of await records.list<CrosswalkMapping>(KIND)) crosswalk.add(value);
    return new CrosswalkService(crosswalk, records, plant);
  }

  /**
   * Adds a mapping durably and makes it effective at once.
   * @throws PF_ERR_REQUEST_INVALID when an equipment mapping names no known equipment path
   */
  async add(mapping: CrosswalkMapping): Promise<void> {
    if (mapping.kind === 'equipment' && !this.#plant.has(mapping.canonical)) {
      throw new InputError('PF_ERR_REQUEST_INVALID', `'${mapping.canonical}' is not an equipment path of this plant`, {
        details: { canonical: mapping.canonical },
      });
    }
    if (mapping.validFrom !== undefined && mapping.validTo !== undefined && mapping.validFrom >= mapping.validTo) {
      throw new InputError('PF_ERR_REQUEST_INVALID', 'validFrom must be before validTo');
    }
    const stored: CrosswalkMapping = { ...mapping, provenance: mapping.provenance ?? 'learnt' };
    await this.#records.put(KIND, contentId('xw', stored), stored);
    this.crosswalk.add(stored);
  }
}
