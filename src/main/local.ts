// Signal handling for long-running commands (`sprout local`): resolves on the first SIGINT or
// SIGTERM so the command can shut down cleanly. Lives in main/, the only place that owns signals.
export function untilTerminated(): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
