import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { resolveRuntime } from './platform/runtime.js';
import { prepareDatabase } from './platform/startup.js';

/** Load config → database → buildApp → listen; on SIGTERM/SIGINT finish in-flight requests and exit. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const bootLog = {
    info: (message: string) => process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), msg: message })}\n`),
    warn: (message: string) => process.stdout.write(`${JSON.stringify({ level: 40, time: Date.now(), msg: message })}\n`),
  };
  const runtime = await resolveRuntime(config, bootLog);
  let app;
  try {
    app = await buildApp(runtime.config);
    const { bootstrapped } = await prepareDatabase(app.pool, runtime.config.auth.bootstrapAdminSubject);
    if (bootstrapped) app.log.info('platform admin created from BOOTSTRAP_ADMIN_SUBJECT');
    await app.listen({ port: runtime.config.http.port, host: runtime.config.http.host });
  } catch (error) {
    await app?.close().catch(() => {});
    await runtime.stop();
    throw error;
  }

  closeWithGrace({ delay: runtime.config.http.requestTimeoutMs }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an unexpected error');
    else app.log.info({ signal }, 'closing');
    await app.close();
    await runtime.stop();
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
