package dev.conduit.cli.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.bench.BenchConfig;
import dev.conduit.cli.Main;
import dev.conduit.cli.doctor.HostReport;

/**
 * Where a benchmark was measured, for the report's header: {@code doctor}'s probes (kernel, JDK, io_uring,
 * the file system under the target, the data path) and the effective configuration, flattened to a map of
 * lines so the bench module needs nothing of the CLI.
 */
final class BenchHostFacts
{
    private BenchHostFacts()
    {
    }

    /**
     * @param main     the command line (configuration, data directory).
     * @param target   what was measured ({@code --target}, for S3 with its endpoint).
     * @param dataPath the {@code --path} asked for.
     * @return the facts, in the order the report shows them.
     */
    static Map<String, String> of(final Main main, final String target, final String dataPath)
    {
        final JsonNode host = HostReport.collect(probeDirectory(main, target), main.config());
        return of(host, target, dataPath);
    }

    /**
     * @param host     {@code doctor --json}'s object.
     * @param target   what was measured.
     * @param dataPath the {@code --path} asked for.
     * @return the facts, in order.
     */
    static Map<String, String> of(final JsonNode host, final String target, final String dataPath)
    {
        final Map<String, String> facts = new LinkedHashMap<>();
        final JsonNode kernel = host.path("kernel");
        facts.put("kernel", kernel.path("os").asText() + " " + kernel.path("release").asText() + " " +
            kernel.path("arch").asText() + ", " + kernel.path("cpus").asText() + " CPUs, page " +
            kernel.path("page_size").asText() + " B");
        final JsonNode jdk = host.path("jdk");
        facts.put("jdk", jdk.path("version").asText() + " (" + jdk.path("vendor").asText() + ")");
        final JsonNode uring = host.path("io_uring");
        facts.put("io_uring", uring.path("available").asBoolean() ? "available" : "unavailable: " +
            uring.path("reason").asText());
        final JsonNode fs = host.path("fs");
        facts.put("file system", fs.path("type").asText("?") + " at " + fs.path("path").asText() + ", O_DIRECT " +
            fs.path("o_direct_reason").asText("?") + ", logical/physical block " +
            fs.path("logical_block_size").asText("?") + "/" + fs.path("physical_block_size").asText("?") + " B" +
            (fs.path("block_device").asBoolean() ? ", block device" : ""));
        facts.put("device / target", target);
        final JsonNode selected = host.path("path");
        facts.put("data path", "--path " + dataPath + "; doctor selects " + selected.path("selected").asText() + " (" +
            selected.path("reason").asText() + ")");
        final JsonNode config = host.path("config");
        final JsonNode file = config.path("file");
        facts.put("configuration file", file.isNull() || file.isMissingNode() ? "(none: defaults)" : file.asText());
        final List<String> changed = new ArrayList<>();
        config.path("settings").properties().forEach(e ->
        {
            final String source = e.getValue().path("source").asText();
            if (!"default".equals(source))
            {
                changed.add(e.getKey() + "=" + e.getValue().path("value").asText() + " (" + source + ")");
            }
        });
        facts.put("settings not at their default", changed.isEmpty() ? "(none)" : String.join(", ", changed));
        return facts;
    }

    private static Path probeDirectory(final Main main, final String target)
    {
        if (target.equals(BenchConfig.STORE) || target.startsWith(BenchCommand.S3_SCHEME))
        {
            return main.dataDir();
        }
        // The file system the target lives on: the file's own directory (a device node's is /dev).
        final Path parent = Path.of(target).toAbsolutePath().getParent();
        return parent != null && Files.isDirectory(parent) ? parent : main.dataDir();
    }
}
