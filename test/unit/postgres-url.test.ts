import { describe, expect, it } from 'vitest';
import { ConfigError, parseDatabaseUrl } from '../../src/config.js';
import { postgresSettings } from '../../src/store/db.js';

describe('DATABASE_URL=postgres://...?schema=', () => {
  it('accepts a lower-case schema name and hands pg the URL without it', () => {
    const url = 'postgres://u:p@localhost:5432/db?schema=test_1&sslmode=disable';
    expect(parseDatabaseUrl(url)).toEqual({ kind: 'postgres', url });
    expect(postgresSettings(url)).toEqual({
      connectionString: 'postgres://u:p@localhost:5432/db?sslmode=disable',
      schema: 'test_1',
    });
    expect(postgresSettings('postgres://localhost/db')).toEqual({
      connectionString: 'postgres://localhost/db',
      schema: null,
    });
  });

  it.each(['', 'Upper', '1abc', 'a-b', 'a;drop', 'x'.repeat(64)])('refuses schema=%j naming DATABASE_URL', (schema) => {
    const parse = () => parseDatabaseUrl(`postgres://localhost/db?schema=${encodeURIComponent(schema)}`);
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(/^DATABASE_URL: schema= must be/);
  });
});
