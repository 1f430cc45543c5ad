/**
 * The training loader on top of {@link dev.conduit.gdspath.DataPath}: tar shard indexing
 * ({@link dev.conduit.gdspath.loader.TarIndex}, cached as {@code <shard>.idx}), the deterministic,
 * rank-split, block-shuffled epoch order, and batches in a fixed ring of buffers with back-pressure.
 * No threads of its own: the consumer's calls and batch releases issue reads, the scheduler's device
 * threads complete them.
 */
package dev.conduit.gdspath.loader;
