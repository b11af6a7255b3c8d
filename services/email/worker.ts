import { emailConfig } from '../common/config';
import { openDatabase } from '../common/database';
import { startServiceWorker } from '../common/worker-runner';
import { createEmailActivities } from './activities';
import { createMailer } from './mailer';
import { emailSchema, EmailStore, type EmailTables } from './store';

startServiceWorker('email', async () => {
  const config = emailConfig();
  const database = await openDatabase<EmailTables>(config.database, emailSchema);
  const store = new EmailStore(database);
  return {
    activities: createEmailActivities(store, createMailer(config), config.from),
    isHealthy: () => database.isReachable(),
    onStopped: () => void store.close(),
  };
});
