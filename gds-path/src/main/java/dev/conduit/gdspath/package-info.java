/**
 * The GPU data paths ({@code gds}, {@code bounce}, {@code host}): the choice between them
 * ({@link dev.conduit.gdspath.PathSelection}, {@link dev.conduit.gdspath.PathMode}), the buffers reads
 * land in ({@link dev.conduit.gdspath.DeviceBufferPool}) and the read/write API
 * ({@link dev.conduit.gdspath.DataPath}) over three engines: GDS (cuFile batches), bounce (pinned
 * ring and async copies) and host. The host path has no threads of its own (callers submit, the
 * scheduler's device threads complete); each GPU engine has one agent thread that made the CUDA
 * context current and completes its reads.
 */
package dev.conduit.gdspath;
