// The jobs table, as this module sees it.

export interface JobsTable {
  id: string;
  name: string;
  payload: string;
  state: JobState;
  unique_key: string | null;
  attempts: number;
  max_attempts: number;
  run_at: string;
  locked_by: string | null;
  locked_until: string | null;
  progress: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** queued → running → done; a failure goes back to queued with backoff until `failed`. */
export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface JobsTables {
  jobs: JobsTable;
}
