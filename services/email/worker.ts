import { emailConfig } from '../common/config';
import { startServiceWorker } from '../common/worker-runner';
import { createEmailActivities } from './activities';
import { createMailer } from './mailer';
import { EmailStore } from './store';

const config = emailConfig();
const store = new EmailStore(config.dbPath);

startServiceWorker({
  service: 'email',
  activities: createEmailActivities(store, createMailer(config), config.from),
  onStopped: () => store.close(),
});
