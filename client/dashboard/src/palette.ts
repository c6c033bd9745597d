// Series colours shared by the charts, so run i has the same colour everywhere on a page.
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

export const seriesColor = (index: number): string => PALETTE[index % PALETTE.length];
