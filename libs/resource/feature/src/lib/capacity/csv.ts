/** Minutes as hours, two decimals (the unit of the capacity and utilisation reports). */
export const hours = (minutes: number): number => Math.round((minutes / 60) * 100) / 100;
