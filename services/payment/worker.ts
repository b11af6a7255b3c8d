import { paymentConfig } from '../common/config';
import { startServiceWorker } from '../common/worker-runner';
import { createPaymentActivities } from './activities';
import { CardGateway } from './gateway';
import { PaymentStore } from './store';

const config = paymentConfig();
const store = new PaymentStore(config.dbPath);
const gateway = new CardGateway(store.db, {
  latencyMs: config.gatewayLatencyMs,
  failureRate: config.gatewayFailureRate,
  declinedTokens: config.declinedTokens,
});

startServiceWorker({
  service: 'payment',
  activities: createPaymentActivities(store, gateway),
  onStopped: () => store.close(),
});
