// Process entry of the CLI: run the program on argv and set the exit code.
import { main } from './program.ts';

process.exitCode = await main(process.argv.slice(2));
