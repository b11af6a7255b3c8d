import { paymentConfig } from '../common/config';
import { openDatabase } from '../common/database';
import { startServiceWorker } from '../common/worker-runner';
import { createPaymentActivities } from './activities';
import { CardGateway } from './gateway';
import { paymentSchema, PaymentStore, type PaymentTables } from './store';

startServiceWorker('payment', async () => {
  const config = paymentConfig();
  const database = await openDatabase<PaymentTables>(config.database, paymentSchema);
  const store = new PaymentStore(database);
  const gateway = new CardGateway(database, {
    latencyMs: config.gatewayLatencyMs,
    failureRate: config.gatewayFailureRate,
    declinedTokens: config.declinedTokens,
  });
  return {
    activities: createPaymentActivities(store, gateway),
    isHealthy: () => database.isReachable(),
    onStopped: () => void store.close(),
  };
});
