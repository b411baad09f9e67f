// Each vitest project sets TZ; this proves the zone really applies to Date in the test process,
// so the zoned runs of the date and measure tests are not three runs in UTC.
import { expect, it } from 'vitest';

it('runs in the time zone its project names', () => {
  const zone = process.env.TZ;
  expect(zone).toBeTruthy();
  expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(zone);
  const offsetInJanuary = new Date(2018, 0, 15).getTimezoneOffset();
  expect(offsetInJanuary).toBe({ UTC: 0, 'Europe/London': 0, 'America/New_York': 300 }[zone!]);
  if (zone === 'Europe/London') expect(new Date(2018, 6, 15).getTimezoneOffset()).toBe(-60);
});
