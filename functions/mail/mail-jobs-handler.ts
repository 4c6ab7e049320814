import { loadConfig } from '../config';
import { runMailJobs } from './mail-jobs';
import { deployedMailer } from './mailer-deps';

const deps = deployedMailer(loadConfig());

/** The schedule's target: due retries of failed sends, and yesterday's daily digests (once per day and user). */
export const handler = async () => {
  const report = await runMailJobs(deps);
  console.log(JSON.stringify({ level: 'info', message: 'mail jobs run', ...report }));
  return report;
};
