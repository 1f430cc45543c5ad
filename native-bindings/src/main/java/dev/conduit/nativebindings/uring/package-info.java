/**
 * io_uring without liburing: the raw io_uring_setup/enter/register syscalls
 * ({@link dev.conduit.nativebindings.uring.IoUringSyscall}), struct descriptors for the params, SQE, CQE and probe
 * layouts, and {@link dev.conduit.nativebindings.uring.IoUring}, which maps the rings and prepares requests in place
 * with a hard in-flight bound. Each {@code IoUring} belongs to one owner thread (the scheduler's reaper for its
 * device); {@link dev.conduit.nativebindings.uring.IoUringSupport#probe()} is the thread-safe, never-throwing check
 * that {@code conduit doctor} runs.
 */
package dev.conduit.nativebindings.uring;
