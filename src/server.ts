/**
 * Entry point of `npm start`: the server configured by the environment (see serve.ts). It
 * runs on the SQLite default (`sqlite:./data/sandbox.db`, created and migrated on first start).
 */
import { serve } from './serve.js';

serve().catch((error: unknown) => {
  process.stderr.write(`start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
