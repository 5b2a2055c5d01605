/**
 * The trainings a training thread may run, by function name (training-pool.ts sends the name of
 * the function it was given). Each takes and returns plain data. Imported only by the thread.
 */
import { entryModelFoldJob, entryModelJob } from '../../kb/entry-model.js';
import { answerabilityModelJob } from '../../triage/answerability.js';
import { localTriageModelsJob } from '../local/local-models.js';

const jobs: ((args: never) => unknown)[] = [
  localTriageModelsJob,
  entryModelJob,
  entryModelFoldJob,
  answerabilityModelJob,
];

export const trainingJobs: Record<string, (args: unknown) => unknown> = Object.fromEntries(
  jobs.map((job) => [job.name, job as (args: unknown) => unknown]),
);
