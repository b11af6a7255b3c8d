import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { activitiesOf } from './activities';
import { BareTaskQueues, type BareService } from './task-queues';
import { experimentalWorkerOptions } from './worker-options';

// One bare worker process: `node worker.js <service>`. Its options are those of
// services/common/worker-runner.ts plus whatever BARE_* variables set (worker-options.ts).

const runsWorkflows: Record<BareService, boolean> = {
  orders: true,
  inventory: true,
  fraud: false,
  shipping: true,
  payment: false,
  email: false,
};

async function main(service: BareService): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: ['SIGINT', 'SIGTERM'] });
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS ?? 'localhost:7233' });
  const worker = await Worker.create({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: BareTaskQueues[service],
    activities: activitiesOf[service],
    ...(runsWorkflows[service] && { workflowBundle: { codePath: process.env.BARE_WORKFLOW_BUNDLE! } }),
    shutdownGraceTime: '20s',
    ...experimentalWorkerOptions(),
  });
  console.log(`bare ${service} worker polling ${BareTaskQueues[service]}`);
  try {
    await worker.run();
  } finally {
    await connection.close();
  }
}

const service = process.argv[2] as BareService;
if (!(service in BareTaskQueues)) throw new Error(`usage: worker.js <${Object.keys(BareTaskQueues).join('|')}>`);
main(service).catch((err) => {
  console.error(err);
  process.exit(1);
});
