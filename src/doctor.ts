import { formatFindings, runDoctor } from './ops/doctor.js';

// `npm run doctor`: what is wrong with this installation, in plain words; exit 1 on a problem.
try {
  const findings = await runDoctor({ env: process.env, rootDir: process.cwd() });
  process.stdout.write(formatFindings(findings));
  process.exitCode = findings.some((f) => f.level === 'problem') ? 1 : 0;
} catch (error) {
  process.stderr.write(`paperboy doctor could not finish: ${(error as Error).message}\n`);
  process.exitCode = 2;
}
