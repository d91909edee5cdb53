import { parentPort } from 'node:worker_threads';
import { isDomainError } from '@pm/planning/domain';
import type { ScheduleState, ScheduleStreamEvent } from '@pm/planning/domain';
import { encodeSnapshotPieces } from '@pm/platform/event-store/codec';
import { MspdiReader, isMspdiError } from '@pm/shared/interchange';
import { concludeMspdiImport, decideMspdiCommands } from './mspdi-import.plan';
import type { ImportedSchedule } from './mspdi-import.plan';
import type { ImportFailure, ImportReply, ImportRequest } from './import.protocol';

/*
 * The import's CPU work, off the service's event loop (ADR 0009): streaming the XML through the SAX reader, deciding
 * every command against the schedule, the one recalculation, and the snapshot's bytes. Events go back in batches as
 * they are decided, never faster than the main thread stages them (credits on shared memory: the worker blocks).
 */
const port = parentPort;
if (port === null) throw new Error('import.worker runs in a worker thread');

let job: { start: Extract<ImportRequest, { kind: 'start' }>; reader: MspdiReader | null; credits: Int32Array } | undefined;

const reply = (message: ImportReply, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

/** Bytes that own their whole buffer move to the main thread instead of being copied. */
const transferable = (bytes: Uint8Array): ArrayBuffer[] =>
  bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : [];

function failureOf(error: unknown): ImportFailure {
  if (isMspdiError(error)) return { code: error.code, message: error.message, clientError: true };
  if (isDomainError(error)) return { code: error.code, message: error.message, clientError: true };
  return { code: 'IMPORT_FAILED', message: error instanceof Error ? error.message : String(error), clientError: false };
}

function waitForCredit(credits: Int32Array): void {
  while (Atomics.load(credits, 0) <= 0) Atomics.wait(credits, 0, Atomics.load(credits, 0), 1_000);
  Atomics.sub(credits, 0, 1);
}

/** The plan's commands, decided as it was read; the reader (and with it the parsed plan) is let go here. */
function decideCommands(current: NonNullable<typeof job>, emit: (events: ScheduleStreamEvent[]) => void): ImportedSchedule {
  const reader = current.reader;
  if (reader === null) throw new Error('the import has already ended');
  current.reader = null;
  const project = reader.end();
  reply({ kind: 'parsed', tasks: project.tasks.length });
  const { state, projectId, metadata } = current.start;
  return decideMspdiCommands(state as ScheduleState, projectId, project, metadata, emit);
}

function finish(current: NonNullable<typeof job>): void {
  const emit = (events: ScheduleStreamEvent[]): void => {
    waitForCredit(current.credits);
    reply({ kind: 'events', events });
  };
  // Nothing of the parsed plan (about 1 KB a task) is reachable past this call: the recalculation and the
  // snapshot's bytes, the import's largest moment, do not hold it too (ADR 0009 amendment).
  const decided = decideCommands(current, emit);
  const result = concludeMspdiImport(decided, emit);
  const snapshot = encodeSnapshotPieces(result.state);
  reply({ kind: 'done', events: result.events, tasks: result.tasks, links: result.links, warnings: result.warnings, snapshot }, snapshot.flatMap(transferable));
}

port.on('message', (request: ImportRequest) => {
  try {
    if (request.kind === 'start') {
      let reported = 0;
      const reader = new MspdiReader({
        limits: request.limits,
        maxTasks: request.maxTasks,
        onTask: (tasks) => {
          if (tasks - reported >= 1_000) reply({ kind: 'read', tasks: (reported = tasks) });
        },
      });
      job = { start: request, reader, credits: new Int32Array(request.credits) };
    } else if (!job) {
      throw new Error('the import has not started');
    } else if (request.kind === 'chunk') {
      if (job.reader === null) throw new Error('the import has already ended');
      job.reader.write(request.text);
      Atomics.sub(job.credits, 1, 1);
      Atomics.notify(job.credits, 1);
    } else {
      finish(job);
    }
  } catch (error) {
    reply({ kind: 'failed', failure: failureOf(error) });
    job = undefined;
  }
});
