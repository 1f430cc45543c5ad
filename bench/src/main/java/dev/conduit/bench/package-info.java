/**
 * The {@code conduit bench} harness: {@link dev.conduit.bench.ConduitBench} drives fio-like jobs
 * through the scheduler, {@link dev.conduit.bench.FioRunner} runs fio on the same workload, and
 * {@link dev.conduit.bench.BenchReport} prints both and their ratio. The harness runs on the calling
 * thread plus one short-lived thread per job (which only submits the first I/Os); every later I/O
 * is submitted from the scheduler's device thread, in the completion callback.
 */
package dev.conduit.bench;
