/**
 * The {@code conduit bench} harness: {@link dev.conduit.bench.ConduitBench} drives fio-like jobs
 * through the scheduler, {@link dev.conduit.bench.FioRunner} runs fio on the same work,
 * {@link dev.conduit.bench.VsFio} takes them in alternating rounds, and
 * {@link dev.conduit.bench.BenchReport} prints both and the median of their per-round ratios. The
 * harness runs on the calling thread plus one thread per job: closed loop it only submits the first
 * I/Os, every later one being submitted from the completion callback on the scheduler's device
 * thread; open loop ({@code --rate}) it paces every submission.
 */
package dev.conduit.bench;
