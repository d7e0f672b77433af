import { watch } from 'chokidar';

/**
 * Calls `onChange` after edits below `root` settle: a burst of saves (an editor, a git checkout)
 * becomes one call, `debounceMs` after the last event. Dot-folders (.git, .ploy) are ignored.
 */
export function watchDirectory(root: string, onChange: () => void, debounceMs = 100): { close(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(root, {
    ignoreInitial: true,
    ignored: (path) => /(^|[/\\])\.[^/\\]/.test(path.slice(root.length)),
  });
  watcher.on('all', () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  });
  return {
    async close() {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
