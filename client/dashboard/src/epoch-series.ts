// Turns per-epoch rows into chart series: one series per name, aligned on the epochs.

export interface NamedNumber {
  name: string;
  value: number;
}

export interface EpochSeries {
  epochs: number[];
  /** One value per epoch; null where the epoch has no value of that name. */
  series: { name: string; values: (number | null)[] }[];
}

/** Series of every name `pick` returns, in order of first appearance; `epochs` must be sorted. */
export function epochSeries<E extends { epoch: number }>(epochs: readonly E[], pick: (epoch: E) => readonly NamedNumber[]): EpochSeries {
  const byName = new Map<string, (number | null)[]>();
  epochs.forEach((row, i) => {
    for (const { name, value } of pick(row)) {
      let values = byName.get(name);
      if (!values) byName.set(name, (values = new Array<number | null>(epochs.length).fill(null)));
      values[i] = value;
    }
  });
  return { epochs: epochs.map((e) => e.epoch), series: [...byName].map(([name, values]) => ({ name, values })) };
}
