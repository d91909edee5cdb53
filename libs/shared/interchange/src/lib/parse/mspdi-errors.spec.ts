import type { MspdiErrorCode } from '../mspdi.errors';
import { isMspdiError } from '../mspdi.errors';
import { parseMspdi } from './mspdi.parser';

const NS = 'http://schemas.microsoft.com/project';

/** A minimal valid document with `body` inside <Project>. */
const project = (body: string): string =>
  `<?xml version="1.0"?><Project xmlns="${NS}"><StartDate>2024-01-08T08:00:00</StartDate>${body}</Project>`;

const task = (fields: string): string => `<Tasks><Task><UID>1</UID>${fields}</Task></Tasks>`;

function failureOf(xml: string): { code: MspdiErrorCode; message: string } {
  try {
    parseMspdi(xml);
  } catch (error) {
    if (isMspdiError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected parseMspdi to fail');
}

describe('parseMspdi', () => {
  describe('when the input is not XML', () => {
    it.each([
      ['an empty string', ''],
      ['blank text', '   \n'],
      ['plain text', 'hello, this is not a plan'],
      ['JSON', '{"tasks": []}'],
      ['an unclosed element', project('<Name>Plan')],
      ['mismatched tags', `<Project xmlns="${NS}"><Name>Plan</Title></Project>`],
      ['two root elements', `<Project xmlns="${NS}"></Project><Project xmlns="${NS}"></Project>`],
    ])('rejects %s with MSPDI_NOT_XML', (_case, xml) => {
      expect(failureOf(xml).code).toBe('MSPDI_NOT_XML');
    });

    it('says where the XML breaks', () => {
      expect(failureOf(`<Project xmlns="${NS}">\n<Name>Plan</Title></Project>`).message).toMatch(/line 2/);
    });
  });

  describe('when the XML is not a Microsoft Project document', () => {
    it.each([
      ['an MSBuild project', '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup/></Project>'],
      ['an old MSBuild project', '<Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003"><ItemGroup/></Project>'],
      ['a Maven POM', '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion></project>'],
      ['another root element', `<Plan xmlns="${NS}"><Tasks/></Plan>`],
    ])('rejects %s with MSPDI_NOT_A_PROJECT', (_case, xml) => {
      expect(failureOf(xml).code).toBe('MSPDI_NOT_A_PROJECT');
    });
  });

  describe('when an MSPDI document breaks the format', () => {
    it.each([
      ['a duration that is not ISO-8601', task('<Duration>8 hours</Duration>'), 'Tasks/Task[1]/Duration'],
      ['a year-month duration', task('<Duration>P1M</Duration>'), 'Duration'],
      ['a date that does not exist', task('<Start>2024-02-30T08:00:00</Start>'), 'Tasks/Task[1]/Start'],
      ['a UID that is not an integer', '<Tasks><Task><UID>one</UID></Task></Tasks>', 'UID'],
      ['a task without UID', '<Tasks><Task><Name>x</Name></Task></Tasks>', 'UID'],
      ['an unknown link type', task('<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>7</Type></PredecessorLink>'), 'Type'],
      ['an unknown lag format', task('<PredecessorLink><PredecessorUID>1</PredecessorUID><LagFormat>99</LagFormat></PredecessorLink>'), 'LagFormat'],
      ['a link to a task that does not exist', task('<PredecessorLink><PredecessorUID>42</PredecessorUID></PredecessorLink>'), 'unknown task 42'],
      ['an unknown constraint type', task('<ConstraintType>9</ConstraintType>'), 'ConstraintType'],
      ['a dated constraint without its date', task('<ConstraintType>4</ConstraintType>'), 'ConstraintDate'],
      ['a percentage over 100', task('<PercentComplete>120</PercentComplete>'), 'PercentComplete'],
      ['a boolean that is neither 0/1 nor true/false', task('<Summary>yes</Summary>'), 'Summary'],
      ['the same task UID twice', '<Tasks><Task><UID>1</UID></Task><Task><UID>1</UID></Task></Tasks>', 'appears twice'],
      ['a non-positive day length', '<MinutesPerDay>0</MinutesPerDay>', 'MinutesPerDay'],
      [
        'a calendar derived from a missing calendar',
        '<Calendars><Calendar><UID>3</UID><IsBaseCalendar>0</IsBaseCalendar><BaseCalendarUID>9</BaseCalendarUID></Calendar></Calendars>',
        'unknown calendar 9',
      ],
      [
        'an exception without dates',
        '<Calendars><Calendar><UID>1</UID><Exceptions><Exception><Type>1</Type></Exception></Exceptions></Calendar></Calendars>',
        'TimePeriod',
      ],
      [
        'an assignment to a missing task',
        '<Assignments><Assignment><UID>1</UID><TaskUID>5</TaskUID><ResourceUID>-65535</ResourceUID></Assignment></Assignments>',
        'unknown task 5',
      ],
    ])('rejects %s with MSPDI_INVALID naming the place', (_case, body, where) => {
      const failure = failureOf(project(body));
      expect(failure.code).toBe('MSPDI_INVALID');
      expect(failure.message).toContain(where);
    });

    it('rejects a DOCTYPE, which Microsoft Project never writes (no entity expansion)', () => {
      const xml = `<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa">]><Project xmlns="${NS}"><Name>&a;</Name></Project>`;
      expect(failureOf(xml).code).toBe('MSPDI_INVALID');
    });

    it('needs a start date when no task has one', () => {
      const failure = failureOf(`<Project xmlns="${NS}"><Name>Plan</Name></Project>`);
      expect(failure).toEqual({ code: 'MSPDI_INVALID', message: expect.stringContaining('StartDate') });
    });
  });

  it('rejects an exception repeating every N working days (Type 8) as MSPDI_UNSUPPORTED', () => {
    const exception =
      '<Exception><TimePeriod><FromDate>2024-01-01T00:00:00</FromDate><ToDate>2024-02-01T23:59:00</ToDate></TimePeriod><Type>8</Type></Exception>';
    const failure = failureOf(project(`<Calendars><Calendar><UID>1</UID><Exceptions>${exception}</Exceptions></Calendar></Calendars>`));
    expect(failure.code).toBe('MSPDI_UNSUPPORTED');
  });

  describe('when the document is minimal but valid', () => {
    it('applies Microsoft Project defaults for what the file leaves out', () => {
      const plan = parseMspdi(project(task('<Name>Only task</Name>')));
      expect(plan.properties).toMatchObject({ minutesPerDay: 480, minutesPerWeek: 2400, daysPerMonth: 20, currencyCode: 'USD' });
      expect(plan.tasks[0]).toMatchObject({
        name: 'Only task',
        outlineLevel: 1,
        duration: { days: 0, unit: null, elapsed: false, estimated: false },
        constraint: { type: 'ASAP', date: null },
        schedule: null,
      });
    });

    it('dates the plan from its first task when StartDate is missing', () => {
      const xml = `<Project xmlns="${NS}">${task('<Start>2024-03-04T09:00:00</Start>')}</Project>`;
      expect(parseMspdi(xml).properties.startDate).toBe('2024-03-04T09:00:00');
    });

    it('skips the blank rows (IsNull) of the task and resource sheets', () => {
      const plan = parseMspdi(
        project('<Tasks><Task><UID>1</UID></Task><Task><UID>2</UID><ID>2</ID><IsNull>1</IsNull></Task></Tasks><Resources><Resource><UID>1</UID><IsNull>1</IsNull></Resource></Resources>'),
      );
      expect(plan.tasks.map((t) => t.uid)).toEqual([1]);
      expect(plan.resources).toEqual([]);
    });

    it('accepts a lag without unit (LagFormat 53) as working days', () => {
      const plan = parseMspdi(
        project('<Tasks><Task><UID>1</UID></Task><Task><UID>2</UID><PredecessorLink><PredecessorUID>1</PredecessorUID><LinkLag>9600</LinkLag><LagFormat>53</LagFormat></PredecessorLink></Task></Tasks>'),
      );
      expect(plan.tasks[1].predecessors[0].lag).toEqual({ days: 2, unit: null, elapsed: false, estimated: true });
    });

    it('decodes entities and character references once', () => {
      const plan = parseMspdi(project(task('<Name>R&amp;D &#x2013; &amp;#13; &#233;t&#xE9;</Name>')));
      expect(plan.tasks[0].name).toBe('R&D \u2013 &#13; été');
    });

    it('accepts the byte-order mark and true/false booleans other tools write', () => {
      const plan = parseMspdi(`\uFEFF${project(task('<Summary>true</Summary><Milestone>false</Milestone>'))}`);
      expect(plan.tasks[0]).toMatchObject({ summary: true, milestone: false });
    });
  });
});
