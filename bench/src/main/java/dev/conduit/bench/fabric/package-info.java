/**
 * {@code conduit bench --fabric}: Conduit's NVMe/TCP target on a RAM namespace and Conduit's initiator
 * against it over 127.0.0.1 ({@link dev.conduit.bench.fabric.FabricBench}), next to iperf3's loopback
 * TCP throughput measured in the same invocation ({@link dev.conduit.bench.fabric.Iperf3}).
 */
package dev.conduit.bench.fabric;
