import * as fs from 'node:fs';
import * as path from 'node:path';

import type { MspdiProject, MspdiTask } from '../mspdi.model';
import { parseMspdi } from '../parse/mspdi.parser';

const REPO_ROOT = path.resolve(__dirname, '../../../../../..');

/** Files saved by Microsoft Project 2003-2019, kept outside the repository (see its README.md). */
export const TESTDATA_DIR = path.resolve(REPO_ROOT, '../shared/testdata/mspdi');

export const testdataAvailable = fs.existsSync(TESTDATA_DIR);

/** The XML files; a placeholder when the folder is missing, because Jest rejects an empty `each` table. */
export const testdataFiles = (): string[] =>
  testdataAvailable ? fs.readdirSync(TESTDATA_DIR).filter((file) => file.endsWith('.xml')).sort() : ['(test data missing)'];

/** `describe`, or a visible skip naming the missing folder when the test data is not there. */
export function describeWithTestdata(name: string, body: () => void): void {
  if (testdataAvailable) {
    describe(name, body);
    return;
  }
  console.warn(`[planning-interchange] ${TESTDATA_DIR} is missing: skipping "${name}"`);
  describe.skip(name, body);
}

export const readTestdata = (file: string): string => fs.readFileSync(path.join(TESTDATA_DIR, file), 'utf8');

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
