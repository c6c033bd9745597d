// Example script: pretrain an AE on oranges, start an AE-initialised CycleGAN, follow its
// epochs live, then evaluate it. Run against a server started with `cyclegan-lab serve`:
//   node dist/client/examples/train-and-watch.js [http://127.0.0.1:4000]
// Outside this repository import from 'cyclegan-lab/client' instead of '../index.js'.
import WebSocket from 'ws';
import { LabClient } from '../index.js';

const lab = new LabClient({ url: process.argv[2] ?? 'http://127.0.0.1:4000', webSocketImpl: WebSocket });
try {
  const datasetId = await lab.datasetId('apple2orange-32');
  const ae = await lab.startPretraining({ datasetId, domain: 'B', ngf: 16, epochs: 2, learningRate: 2e-4, maxTrainImages: 200 });
  const aeState = await lab.waitForRun(ae.id);
  console.log(`AE ${ae.id}: ${aeState.status}`);

  const run = await lab.startCycleGan({ datasetId, ngf: 16, ndf: 16, epochs: 2, initB: ae.id, maxTrainImages: 200 });
  for await (const event of lab.runEvents(run.id)) {
    if (event.type === 'EPOCH' && event.summary) {
      const losses = event.summary.losses.map((l) => `${l.name}=${l.value.toFixed(3)}`).join(' ');
      console.log(`epoch ${event.epoch}: ${losses}`);
    }
    if (event.type === 'STATUS' && event.status !== 'RUNNING') break;
  }

  const evaluation = await lab.evaluateRun({ runId: run.id, maxImages: 32, kidSubsetSize: 16 });
  await lab.waitForRun(evaluation.id);
  for (const row of await lab.comparison([run.id])) {
    console.log(`${row.metric} ${row.comparison} ${row.domain}: ${row.value.toFixed(4)}${row.std === null ? '' : ` ± ${row.std.toFixed(4)}`} (N=${row.n})`);
  }
} finally {
  await lab.close();
}
