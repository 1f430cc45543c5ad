/**
 * The GPU data paths ({@code gds}, {@code bounce}, {@code host}): the choice between them
 * ({@link dev.conduit.gdspath.PathSelection}, {@link dev.conduit.gdspath.PathMode}), the buffers reads
 * land in ({@link dev.conduit.gdspath.DeviceBufferPool}) and the read/write API
 * ({@link dev.conduit.gdspath.DataPath}). Only the host engine is built. No threads of its own: callers
 * submit, the scheduler's device threads complete.
 */
package dev.conduit.gdspath;
