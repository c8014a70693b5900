/**
 * The user's files that are pipes or devices (`-c <(generate-config)`, `--rules /dev/fd/3`), read before the
 * rules and config are loaded (read-limited.ts preloadStreams): their reads then wait on other threads, so a
 * signal still ends socklint, and worker threads get the text (RuleSetup.streams) instead of an emptied pipe.
 */
export async function preloadUserFiles(o: { config?: string; rules?: readonly string[]; baseline?: string }): Promise<void> {
  const { preloadStreams } = await import('../read-limited');
  const { DEFAULT_MAX_BYTES } = await import('../rules/yaml-source');
  await preloadStreams([o.config, ...(o.rules ?? [])], DEFAULT_MAX_BYTES);
  if (o.baseline !== undefined) await preloadStreams([o.baseline], (await import('../engine/baseline')).BASELINE_MAX_BYTES);
}
