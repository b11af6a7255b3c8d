import { paymentConfig } from '../common/config';
import { openDatabaseOrExit } from '../common/database-startup';
import { startServiceWorker } from '../common/worker-runner';
import { createPaymentActivities } from './activities';
import { CardGateway } from './gateway';
import { paymentSchema, PaymentStore, type PaymentTables } from './store';

async function main(): Promise<void> {
  const config = paymentConfig();
  const database = await openDatabaseOrExit<PaymentTables>(config.database, paymentSchema);
  const store = new PaymentStore(database);
  const gateway = new CardGateway(database, {
    latencyMs: config.gatewayLatencyMs,
    failureRate: config.gatewayFailureRate,
    declinedTokens: config.declinedTokens,
  });

  startServiceWorker({
    service: 'payment',
    activities: createPaymentActivities(store, gateway),
    isHealthy: () => database.isReachable(),
    onStopped: () => void store.close(),
  });
}

void main();
