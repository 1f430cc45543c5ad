/**
 * The Disruptor I/O scheduler: {@link dev.conduit.scheduler.IoScheduler} holds devices
 * ({@link dev.conduit.scheduler.IoDevice}), each a multi-producer ring of preallocated events drained by
 * one device thread ({@code DeviceAgent}'s duty cycle) that splits, merges, prioritises and caps
 * requests and hands tasks to a {@link dev.conduit.scheduler.Backend} (io_uring, pread pool, null).
 * Producers may be any thread; completions (callbacks, futures) run on the device thread.
 */
package dev.conduit.scheduler;
