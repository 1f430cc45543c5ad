package dev.conduit.bench.fabric;

import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.bench.BenchReport;
import dev.conduit.bench.BenchResult;
import dev.conduit.bench.Sizes;

/**
 * The result of {@code conduit bench --fabric}: the two NVMe/TCP phases, iperf3's loopback TCP
 * throughput and the ratio of the throughput phase to it.
 *
 * @param config the run.
 * @param target the namespace read ({@code nvmf://127.0.0.1:PORT/NQN/1}).
 * @param stream the throughput phase.
 * @param iops   the IOPS phase.
 * @param iperf  iperf3's measurement.
 */
public record FabricReport(FabricBenchConfig config, String target, BenchResult stream, BenchResult iops, Iperf3.Result iperf)
{
    /** @return the throughput phase's GiB/s ÷ iperf3's. */
    public double ratio()
    {
        return stream.gibPerSec() / iperf.gibPerSec();
    }

    /** @return one JSON object, its sides shaped as every bench report's ({@link BenchReport#side}). */
    public ObjectNode json()
    {
        final ObjectMapper mapper = new ObjectMapper();
        final ObjectNode root = mapper.createObjectNode();
        final ObjectNode conduit = root.putObject("conduit");
        conduit.set("throughput", BenchReport.side(mapper, stream));
        conduit.set("iops", BenchReport.side(mapper, iops));
        final ObjectNode tcp = root.putObject("iperf3");
        tcp.put("gib_s", BenchReport.round(iperf.gibPerSec(), 4));
        tcp.put("seconds", BenchReport.round(iperf.seconds(), 3));
        tcp.put("detail", iperf.version());
        final ArrayNode command = tcp.putArray("command");
        iperf.command().forEach(command::add);
        final ObjectNode ratio = root.putObject("ratio");
        ratio.put("gib_s", BenchReport.round(ratio(), 4));
        ratio.put("of", "conduit throughput phase ÷ iperf3 loopback TCP");
        final ObjectNode c = root.putObject("config");
        c.put("target", target);
        c.put("namespace", "RAM");
        c.put("size", config.namespaceBytes());
        c.put("queues", config.ioQueues());
        c.put("time_s", config.phaseNs() / 1e9);
        c.putObject("throughput").put("mode", "randread").put("bs", config.streamBlockBytes()).put("qd", config.streamQueueDepth());
        c.putObject("iops").put("mode", "randread").put("bs", config.iopsBlockBytes()).put("qd", config.iopsQueueDepth());
        c.put("latency_from", "submission (closed loop)");
        return root;
    }

    /** @return a table for a terminal. */
    public String text()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "conduit bench --fabric: NVMe/TCP over 127.0.0.1, %s RAM namespace, %d I/O queues, "
            + "%.1f s per phase%n", Sizes.fioSize(config.namespaceBytes()), config.ioQueues(), config.phaseNs() / 1e9));
        sb.append(BenchReport.HEADER);
        BenchReport.row(sb, "conduit " + stream.detail(), stream);
        BenchReport.row(sb, "conduit " + iops.detail(), iops);
        sb.append(String.format(Locale.ROOT, "%-46s %10.3f%n", "iperf3 loopback TCP (" + iperf.version() + ")", iperf.gibPerSec()));
        sb.append(String.format(Locale.ROOT, "%-46s %10.3f%n", "conduit " + Sizes.fioSize(config.streamBlockBytes())
            + " reads / iperf3", ratio()));
        return sb.toString();
    }
}
