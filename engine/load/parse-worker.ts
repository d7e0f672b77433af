/**
 * A worker thread of parseSnapshot: parses the files it is sent with parseFile and answers with
 * the results, minus the position indexes (functions do not cross threads; the main thread
 * attaches lazy ones over the same bytes).
 */
import { parentPort } from 'node:worker_threads';
import { parseFile } from './parse-file.js';
import type { WorkerAnswer, WorkerFile } from './parse-parallel.js';

parentPort?.on('message', (files: WorkerFile[]) => {
  const answer: WorkerAnswer = files.map(({ path, bytes }) => {
    const { documents, diagnostics } = parseFile(path, bytes);
    return { documents: documents.map(({ positions: _, ...doc }) => doc), diagnostics };
  });
  parentPort?.postMessage(answer);
});
