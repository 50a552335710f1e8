/**
 * The crosswalk as the runtime holds it: mappings from plant.yaml plus those learnt while running (API, CLI),
 * which are kept in the record store so a restart knows them too, each addition audited with who made it.
 */
import { Crosswalk, type CrosswalkMapping } from '../core/crosswalk.js';
import { InputError } from '../core/errors.js';
import { contentId } from '../core/pipeline/index.js';
import type { CrosswalkEntry } from '../core/plant-config.js';
import type { PlantModel } from '../core/plant-model.js';
import type { OperationsStore } from '../core/operations-store.js';
import type { RecordStore } from '../core/store.js';

const KIND = 'crosswalk-mapping';

export class CrosswalkService {
  readonly crosswalk: Crosswalk;
  readonly #operations: OperationsStore;
  readonly #plant: PlantModel;

  private constructor(crosswalk: Crosswalk, operations: OperationsStore, plant: PlantModel) {
    this.crosswalk = crosswalk;
    this.#operations = operations;
    this.#plant = plant;
  }

  /** Loads the configured mappings, then the learnt ones (which win where they overlap: they are newer). */
  static async load(entries: readonly CrosswalkEntry[] | undefined, stores: { records: RecordStore; operations: OperationsStore }, plant: PlantModel): Promise<CrosswalkService> {
    const crosswalk = Crosswalk.fromConfig(entries);
    for (const { value } of await stores.records.list<CrosswalkMapping>(KIND)) crosswalk.add(value);
    return new CrosswalkService(crosswalk, stores.operations, plant);
  }

  /**
   * Adds a mapping durably and makes it effective at once.
   * @throws PF_ERR_REQUEST_INVALID when an equipment mapping names no known equipment path
   */
  async add(mapping: CrosswalkMapping, actor: string): Promise<void> {
    if (mapping.kind === 'equipment' && !this.#plant.has(mapping.canonical)) {
      throw new InputError('PF_ERR_REQUEST_INVALID', `'${mapping.canonical}' is not an equipment path of this plant`, {
        details: { canonical: mapping.canonical },
      });
    }
    if (mapping.validFrom !== undefined && mapping.validTo !== undefined && mapping.validFrom >= mapping.validTo) {
      throw new InputError('PF_ERR_REQUEST_INVALID', 'validFrom must be before validTo');
    }
    const stored: CrosswalkMapping = { ...mapping, provenance: mapping.provenance ?? 'learnt' };
    const id = contentId('xw', stored);
    await this.#operations.commit({
      records: [{ kind: KIND, id, value: stored }],
      audit: [{ actor, action: 'crosswalk.mapping.added', subject: { kind: 'crosswalk', id: `${stored.kind}:${stored.system}:${stored.externalId}` }, data: { ...stored } }],
    });
    this.crosswalk.add(stored);
  }
}
