import { readFileSync, writeFileSync } from 'node:fs';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

/**
 * Writes the OpenAPI document generated from the route schemas to openapi/openapi.json, or with --check
 * fails when the committed file differs from what the code generates (CI).
 */
const target = new URL('../openapi/openapi.json', import.meta.url);
const config = loadConfig({
  // The document does not depend on the database or the secret; nothing connects while it is generated.
  DATABASE_URL: 'postgres://openapi@127.0.0.1:1/openapi',
  JWT_SECRET: 'openapi-generation-needs-no-real-secret-0000',
  LOG_LEVEL: 'silent',
});
const app = await buildApp(config);
await app.ready();
const document = `${JSON.stringify(app.swagger(), null, 2)}\n`;
await app.close();

if (process.argv.includes('--check')) {
  const committed = readFileSync(target, 'utf8');
  if (committed !== document) {
    console.error('openapi/openapi.json is out of date: run `npm run openapi` and commit the result.');
    process.exit(1);
  }
  console.log('openapi/openapi.json matches the code.');
} else {
  writeFileSync(target, document);
  console.log(`wrote ${target.pathname}`);
}
