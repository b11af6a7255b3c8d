import { emailConfig } from '../common/config';
import { openDatabaseOrExit } from '../common/database-startup';
import { startServiceWorker } from '../common/worker-runner';
import { createEmailActivities } from './activities';
import { createMailer } from './mailer';
import { emailSchema, EmailStore, type EmailTables } from './store';

async function main(): Promise<void> {
  const config = emailConfig();
  const database = await openDatabaseOrExit<EmailTables>(config.database, emailSchema);
  const store = new EmailStore(database);

  startServiceWorker({
    service: 'email',
    activities: createEmailActivities(store, createMailer(config), config.from),
    isHealthy: () => database.isReachable(),
    onStopped: () => void store.close(),
  });
}

void main();
