import { MSPDI_TESTDATA_DIR, describeWithMspdiTestdata, mspdiTestdataAvailable, mspdiTestdataFiles, readMspdiTestdata } from '@pm/platform/testing';
import type { MspdiProject, MspdiTask } from '../mspdi.model';
import { parseMspdi } from '../parse/mspdi.parser';

/** The shared locator of Microsoft Project's files (@pm/platform/testing), under this lib's names. */
export const TESTDATA_DIR = MSPDI_TESTDATA_DIR;
export const testdataAvailable = mspdiTestdataAvailable();

/** The XML files; a placeholder when the folder is missing, because Jest rejects an empty `each` table. */
export const testdataFiles = (): string[] => (testdataAvailable ? mspdiTestdataFiles() : ['(test data missing)']);

export const describeWithTestdata = (name: string, body: () => void): void => describeWithMspdiTestdata(name, body, 'interchange');

export const readTestdata = readMspdiTestdata;

const parsed = new Map<string, MspdiProject>();

export function parseTestdata(file: string): MspdiProject {
  const cached = parsed.get(file);
  if (cached) return cached;
  const project = parseMspdi(readTestdata(file));
  parsed.set(file, project);
  return project;
}

export function taskByUid(project: MspdiProject, uid: number): MspdiTask {
  const task = project.tasks.find((candidate) => candidate.uid === uid);
  if (!task) throw new Error(`no task with UID ${uid}`);
  return task;
}

export const taskNamed = (project: MspdiProject, name: string): MspdiTask => {
  const task = project.tasks.find((candidate) => candidate.name === name);
  if (!task) throw new Error(`no task named ${name}`);
  return task;
};
