import { checkedSchemaName, urlWithSearchPath } from './schema-swap';

describe('schema names of a blue/green rebuild', () => {
  it('accepts plain lower-case identifiers only, since DDL takes no parameters', () => {
    expect(checkedSchemaName('reporting_next')).toBe('reporting_next');
    for (const hostile of ['', 'Reporting', 'x; DROP SCHEMA public', 'a"b', '1abc', 'x'.repeat(64), 'next\u0000']) {
      expect(() => checkedSchemaName(hostile)).toThrow('Not a plain schema name');
    }
  });

  it('points a connection URL at the schema through the startup options, keeping the rest of the URL', () => {
    const url = urlWithSearchPath('postgres://app:s3cret@db.internal:5433/pm_reporting?sslmode=disable', 'reporting_next');
    const u = new URL(url);
    expect([u.username, u.password, u.host, u.pathname, u.searchParams.get('sslmode')]).toEqual(['app', 's3cret', 'db.internal:5433', '/pm_reporting', 'disable']);
    // pg passes `options` to the server at startup: every session of the pool starts in that schema.
    expect(u.searchParams.get('options')).toBe('-c search_path=reporting_next');
    expect(() => urlWithSearchPath('postgres://h/db', 'x,public')).toThrow('Not a plain schema name');
  });
});
