import { XMLParser } from 'fast-xml-parser';

import { describeWithTestdata, parseTestdata } from '../testing/testdata.fixtures';
import { writeMspdi } from './mspdi.writer';

/**
 * The xsd:sequence of each element in mspdi_pj12.xsd (with Project 2010's GUID/Active/Manual),
 * reduced to the elements MSPDI readers know. Microsoft Project rejects a file whose children
 * are out of this order.
 */
const SCHEMA_ORDER: Record<string, readonly string[]> = {
  Project: [
    'SaveVersion', 'UID', 'Name', 'Title', 'Subject', 'Category', 'Company', 'Manager', 'Author', 'CreationDate',
    'Revision', 'LastSaved', 'ScheduleFromStart', 'StartDate', 'FinishDate', 'FYStartDate', 'CriticalSlackLimit',
    'CurrencyDigits', 'CurrencySymbol', 'CurrencyCode', 'CurrencySymbolPosition', 'CalendarUID', 'DefaultStartTime',
    'DefaultFinishTime', 'MinutesPerDay', 'MinutesPerWeek', 'DaysPerMonth', 'DefaultTaskType', 'StatusDate', 'CurrentDate',
    'OutlineCodes', 'WBSMasks', 'ExtendedAttributes', 'Calendars', 'Tasks', 'Resources', 'Assignments',
  ],
  Calendar: ['UID', 'GUID', 'Name', 'IsBaseCalendar', 'IsBaselineCalendar', 'BaseCalendarUID', 'WeekDays', 'Exceptions', 'WorkWeeks'],
  WeekDay: ['DayType', 'DayWorking', 'TimePeriod', 'WorkingTimes'],
  Exception: [
    'EnteredByOccurrences', 'TimePeriod', 'Occurrences', 'Name', 'Type', 'Period', 'DaysOfWeek', 'MonthItem',
    'MonthPosition', 'Month', 'MonthDay', 'DayWorking', 'WorkingTimes',
  ],
  Task: [
    'UID', 'GUID', 'ID', 'Name', 'Active', 'Manual', 'Type', 'IsNull', 'CreateDate', 'Contact', 'WBS', 'WBSLevel',
    'OutlineNumber', 'OutlineLevel', 'Priority', 'Start', 'Finish', 'Duration', 'ManualStart', 'ManualFinish',
    'ManualDuration', 'DurationFormat', 'Work', 'Stop', 'Resume', 'ResumeValid', 'EffortDriven', 'Recurring',
    'OverAllocated', 'Estimated', 'Milestone', 'Summary', 'Critical', 'IsSubproject', 'EarlyStart', 'EarlyFinish',
    'LateStart', 'LateFinish', 'StartVariance', 'FinishVariance', 'WorkVariance', 'FreeSlack', 'TotalSlack', 'FixedCost',
    'FixedCostAccrual', 'PercentComplete', 'PercentWorkComplete', 'Cost', 'OvertimeCost', 'OvertimeWork', 'ActualStart',
    'ActualFinish', 'ActualDuration', 'ConstraintType', 'CalendarUID', 'ConstraintDate', 'Deadline', 'LevelAssignments',
    'Notes', 'HideBar', 'PredecessorLink', 'ActualWorkProtected', 'ExtendedAttribute', 'Baseline', 'OutlineCode',
    'IsPublished', 'TimephasedData',
  ],
  PredecessorLink: ['PredecessorUID', 'Type', 'CrossProject', 'CrossProjectName', 'LinkLag', 'LagFormat'],
  Baseline: ['TimephasedData', 'Number', 'Interim', 'Start', 'Finish', 'Duration', 'DurationFormat', 'EstimatedDuration', 'Work', 'Cost'],
  Resource: [
    'UID', 'GUID', 'ID', 'Name', 'Type', 'IsNull', 'Initials', 'Phonetics', 'NTAccount', 'MaterialLabel', 'Code', 'Group',
    'WorkGroup', 'EmailAddress', 'Hyperlink', 'MaxUnits', 'PeakUnits', 'OverAllocated', 'AvailableFrom', 'AvailableTo',
    'Start', 'Finish', 'CanLevel', 'AccrueAt', 'Work', 'StandardRate', 'StandardRateFormat', 'Cost', 'OvertimeRate',
    'OvertimeRateFormat', 'OvertimeCost', 'CostPerUse', 'ActualCost', 'CalendarUID', 'Notes', 'BCWS', 'BCWP', 'IsGeneric',
    'IsInactive', 'IsEnterprise', 'BookingType', 'CreationDate', 'ExtendedAttribute', 'Baseline', 'OutlineCode',
    'IsCostResource', 'AssnOwner', 'IsBudget', 'AvailabilityPeriods', 'Rates', 'TimephasedData',
  ],
  Rate: ['RatesFrom', 'RatesTo', 'RateTable', 'StandardRate', 'StandardRateFormat', 'OvertimeRate', 'OvertimeRateFormat', 'CostPerUse'],
  AvailabilityPeriod: ['AvailableFrom', 'AvailableTo', 'AvailableUnits'],
  Assignment: [
    'UID', 'GUID', 'TaskUID', 'ResourceUID', 'PercentWorkComplete', 'ActualCost', 'ActualFinish', 'ActualOvertimeCost',
    'ActualOvertimeWork', 'ActualStart', 'ActualWork', 'ACWP', 'Confirmed', 'Cost', 'CostRateTable', 'CostVariance', 'CV',
    'Delay', 'Finish', 'FinishVariance', 'Milestone', 'Notes', 'RegularWork', 'RemainingCost', 'RemainingWork',
    'ResponsePending', 'Start', 'Stop', 'Resume', 'StartVariance', 'Units', 'UpdateNeeded', 'VAC', 'Work', 'WorkContour',
    'BCWS', 'BCWP', 'BookingType', 'CreationDate', 'BudgetCost', 'BudgetWork', 'ExtendedAttribute', 'Baseline', 'TimephasedData',
  ],
  ExtendedAttribute: ['FieldID', 'FieldName', 'Alias', 'Value', 'DurationFormat'],
};

type Ordered = Array<Record<string, unknown>>;

/** Every element name with its children's names, in document order. */
function childSequences(xml: string): Array<{ parent: string; children: string[] }> {
  const tree = new XMLParser({ preserveOrder: true, ignoreAttributes: true }).parse(xml) as Ordered;
  const found: Array<{ parent: string; children: string[] }> = [];
  const visit = (nodes: Ordered): void => {
    for (const node of nodes) {
      const name = Object.keys(node).find((key) => key !== ':@' && key !== '#text');
      if (!name || !Array.isArray(node[name])) continue;
      const childNodes = node[name] as Ordered;
      const names = childNodes.map((child) => Object.keys(child)[0]).filter((key) => key !== '#text');
      found.push({ parent: name, children: names });
      visit(childNodes);
    }
  };
  visit(tree);
  return found;
}

describeWithTestdata('writeMspdi', () => {
  const files = ['sample.xml', 'calendar-recurring-exceptions-project2016-mspdi.xml', 'mspdicostratetable.xml',
    'mspdiavailability.xml', 'baselines.xml', 'task-durations-project2019-mspdi.xml', 'mspdiresource.xml'];

  it.each(files)('writes the children of every element of %s in schema order', (file) => {
    for (const { parent, children } of childSequences(writeMspdi(parseTestdata(file)))) {
      const order = SCHEMA_ORDER[parent];
      if (!order) continue;
      const positions = children.map((child) => order.indexOf(child));
      expect({ parent, unknown: children.filter((child) => !order.includes(child)) }).toEqual({ parent, unknown: [] });
      expect({ parent, positions }).toEqual({ parent, positions: [...positions].sort((a, b) => a - b) });
    }
  });

  it('checks the order of the elements that matter (the check sees them)', () => {
    const parents = new Set(childSequences(writeMspdi(parseTestdata('sample.xml'))).map((sequence) => sequence.parent));
    for (const parent of ['Project', 'Calendar', 'WeekDay', 'Task', 'PredecessorLink', 'Resource', 'Assignment']) {
      expect(parents).toContain(parent);
    }
  });

  it('writes the Microsoft Project namespace, SaveVersion 14 first and the project calendar', () => {
    const xml = writeMspdi(parseTestdata('task-links-project2003-mspdi.xml'));
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Project xmlns="http://schemas.microsoft.com/project">\n\t<SaveVersion>14</SaveVersion>')).toBe(true);
    expect(xml).toContain('<CalendarUID>1</CalendarUID>');
  });

  it('writes durations, lags, slack and cost in MSPDI units', () => {
    const xml = writeMspdi(parseTestdata('task-links-project2019-mspdi.xml'));
    expect(xml).toContain('<Duration>PT8H0M0S</Duration>\n\t\t\t<DurationFormat>53</DurationFormat>');
    expect(xml).toMatch(/<PredecessorUID>7<\/PredecessorUID>\s*<Type>1<\/Type>\s*<CrossProject>0<\/CrossProject>\s*<LinkLag>24000<\/LinkLag>\s*<LagFormat>9<\/LagFormat>/);
    expect(xml).toContain('<TotalSlack>52800</TotalSlack>');
    const costs = writeMspdi(parseTestdata('mspdiresource.xml'));
    expect(costs).toContain('<Cost>540000</Cost>');
  });

  it('writes a recurring exception both as a series and as the dates older readers expect', () => {
    const xml = writeMspdi(parseTestdata('calendar-recurring-exceptions-project2016-mspdi.xml'));
    expect(xml).toMatch(/<Name>Yearly Relative 1<\/Name>\s*<Type>3<\/Type>\s*<MonthItem>5<\/MonthItem>\s*<MonthPosition>0<\/MonthPosition>\s*<Month>2<\/Month>/);
    // First Tuesday of March 2007, the last of its four occurrences.
    expect(xml).toMatch(/<DayType>0<\/DayType>\s*<DayWorking>0<\/DayWorking>\s*<TimePeriod>\s*<FromDate>2007-03-06T00:00:00<\/FromDate>/);
  });
});
