/**
 * The object store on aligned extents (docs/FORMAT.md): superblocks, journal with group commit,
 * checkpointed catalog, allocator and striping, verified reads and fsck, behind
 * {@link dev.conduit.blocklayout.ObjectStore} and {@link dev.conduit.blocklayout.DataDirectory}.
 * No threads are owned here: writers group-commit on their own threads, one of them leading each
 * batch; checkpoints run on the leading writer (or on {@code close()}).
 */
package dev.conduit.blocklayout;
