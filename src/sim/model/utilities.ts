/**
 * The utilities: a load/unload air compressor feeding a receiver that the running machines draw from, and the
 * plant's main power meter. Pressure follows the air balance (free-air litres over receiver volume, in bar); the
 * compressor loads below `loadBar` and unloads above `unloadBar`; power is the base load, the compressor and each
 * machine by what it is doing; the energy counter integrates it in whole kWh, as meters count.
 */
import type { MachineClass, SimConfig } from '../config.js';
import { Random, type Seed } from '../random.js';
import { PACKML, type PackmlState } from './machine.js';

/** A machine as the utilities see it. */
export interface MachineLoad {
  params: MachineClass;
  state: PackmlState;
  processing: boolean;
}

/** What the utility meters read after a step. */
export interface UtilityReadings {
  pressureBar: number;
  compressorKw: number;
  compressorRunning: boolean;
  plantKw: number;
  energyKwh: number;
}

/** A machine's electrical load: full while processing, a fifth while powered and waiting, standby when down. */
function machineKw(load: MachineLoad): number {
  if (load.processing) return load.params.powerKw;
  if (load.state === PACKML.Faulted || load.state === PACKML.Stopped) return load.params.powerKw * 0.05;
  return load.params.powerKw * 0.2;
}

/** The compressed-air system and the main power meter. */
export class UtilitiesModel {
  readonly #config: SimConfig['utilities'];
  readonly #rng: Random;
  #pressure: number;
  #running = true;
  #energy: number;

  constructor(config: SimConfig['utilities'], seed: Seed) {
    this.#config = config;
    this.#rng = new Random(seed, 'utilities', config.compressor.id);
    this.#pressure = (config.compressor.loadBar + config.compressor.unloadBar) / 2;
    this.#energy = this.#rng.int(1_000_000, 3_000_000);
  }

  /** Advances by `elapsedMs` with the machines as they are now and returns the readings (rounded as the meters do). */
  step(elapsedMs: number, machines: readonly MachineLoad[]): UtilityReadings {
    const compressor = this.#config.compressor;
    const minutes = elapsedMs / 60_000;
    const demand = (compressor.baseDemandLpm + machines.reduce((sum, load) => sum + (load.processing ? load.params.airLpm : 0), 0)) * this.#rng.uniform(0.95, 1.05);
    const supply = this.#running ? compressor.capacityLpm : 0;
    this.#pressure = Math.max(0, this.#pressure + ((supply - demand) * minutes) / compressor.receiverLitres);
    if (this.#running && this.#pressure >= compressor.unloadBar) this.#running = false;
    else if (!this.#running && this.#pressure <= compressor.loadBar) this.#running = true;
    const compressorKw = (this.#running ? compressor.loadedKw : compressor.unloadedKw) * this.#rng.uniform(0.98, 1.02);
    const plantKw = this.#config.powerMeter.baseKw + compressorKw + machines.reduce((sum, load) => sum + machineKw(load), 0);
    this.#energy += (plantKw * elapsedMs) / 3_600_000;
    return {
      pressureBar: Math.round(this.#pressure * 1000) / 1000,
      compressorKw: Math.round(compressorKw * 100) / 100,
      compressorRunning: this.#running,
      plantKw: Math.round(plantKw * 100) / 100,
      energyKwh: Math.floor(this.#energy),
    };
  }
}
