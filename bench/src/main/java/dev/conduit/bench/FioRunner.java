package dev.conduit.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * The fio side of {@code conduit bench --vs-fio}: the same file, block size, queue depth, job count,
 * size and duration, with {@code ioengine=io_uring} and {@code direct=1} (unless the Conduit side
 * runs buffered), run as a child process whose JSON report is parsed into a {@link BenchResult}.
 * fio is not bundled or installed by Conduit; when it is missing the error says how to get it.
 */
public final class FioRunner
{
    /** Code of the exception thrown when fio is not installed. */
    private static final String INSTALL_HINT = "fio is not installed (or not on PATH). It is a Debian/Ubuntu package: " +
        "sudo apt-get install fio (Fedora/RHEL: sudo dnf install fio); or pass --fio PATH";

    private FioRunner()
    {
    }

    /**
     * @param explicit a path given with {@code --fio}, or null to search {@code PATH}.
     * @return the fio executable.
     * @throws ConduitException {@link ErrorCode#TOOL_NOT_FOUND} with installation advice when there is none.
     */
    public static Path locate(final String explicit)
    {
        if (explicit != null)
        {
            final Path path = Path.of(explicit);
            if (Files.isExecutable(path))
            {
                return path;
            }
            throw new ConduitException(ErrorCode.TOOL_NOT_FOUND, "--fio " + explicit + " is not an executable file");
        }
        final String pathEnv = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (final String dir : pathEnv.split(File.pathSeparator))
        {
            if (!dir.isEmpty())
            {
                final Path candidate = Path.of(dir, "fio");
                if (Files.isExecutable(candidate))
                {
                    return candidate;
                }
            }
        }
        throw new ConduitException(ErrorCode.TOOL_NOT_FOUND, INSTALL_HINT);
    }

    /**
     * @param fio      the executable.
     * @param config   the benchmark.
     * @param fileSize the size the Conduit side used.
     * @return fio's command line for the same workload.
     */
    public static List<String> command(final Path fio, final BenchConfig config, final long fileSize)
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(fio.toString());
        cmd.add("--output-format=json");
        cmd.add("--group_reporting");
        cmd.add("--name=conduit-vs-fio");
        cmd.add("--filename=" + config.target());
        cmd.add("--size=" + Sizes.fioSize(fileSize));
        addWorkload(cmd, config, config.queueDepth());
        return cmd;
    }

    /**
     * A byte range of a file for fio ({@code --filename}, {@code --offset}, {@code --size}).
     *
     * @param file        the file.
     * @param offsetBytes start.
     * @param sizeBytes   length.
     */
    public record Region(Path file, long offsetBytes, long sizeBytes)
    {
    }

    /**
     * One fio job per region, the queue depth split evenly over them, reported as one group.
     *
     * @param fio     the executable.
     * @param config  the benchmark.
     * @param regions where to read.
     * @return fio's command line.
     */
    public static List<String> command(final Path fio, final BenchConfig config, final List<Region> regions)
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(fio.toString());
        cmd.add("--output-format=json");
        cmd.add("--group_reporting");
        final int depth = Math.max(1, (config.queueDepth() + regions.size() - 1) / regions.size());
        for (int i = 0; i < regions.size(); i++)
        {
            final Region region = regions.get(i);
            cmd.add("--name=conduit-vs-fio-" + i);
            cmd.add("--filename=" + region.file());
            cmd.add("--offset=" + region.offsetBytes());
            cmd.add("--size=" + region.sizeBytes());
            addWorkload(cmd, config, depth);
        }
        return cmd;
    }

    private static void addWorkload(final List<String> cmd, final BenchConfig config, final int depth)
    {
        cmd.add("--ioengine=io_uring");
        cmd.add("--direct=" + (config.direct() ? 1 : 0));
        cmd.add("--rw=" + config.mode().fioName());
        cmd.add("--bs=" + Sizes.fioSize(config.blockSizeBytes()));
        cmd.add("--iodepth=" + depth);
        cmd.add("--numjobs=" + config.threads());
        cmd.add("--thread");
        if (config.timeNs() > 0)
        {
            cmd.add("--runtime=" + Math.max(1, TimeUnit.NANOSECONDS.toMillis(config.timeNs())) + "ms");
            cmd.add("--time_based");
        }
        if (config.rampNs() > 0)
        {
            cmd.add("--ramp_time=" + Math.max(1, TimeUnit.NANOSECONDS.toMillis(config.rampNs())) + "ms");
        }
        cmd.add("--norandommap");
        cmd.add("--randrepeat=0");
        cmd.add("--lat_percentiles=1");
        cmd.add("--percentile_list=50:99:99.9");
    }

    /**
     * Runs fio and parses its report.
     *
     * @param fio      the executable.
     * @param config   the benchmark.
     * @param fileSize the size the Conduit side used.
     * @param progress where to say fio is running.
     * @return fio's result.
     * @throws ConduitException {@code FIO_FAILED} with fio's output when it exits non-zero.
     */
    public static BenchResult run(final Path fio, final BenchConfig config, final long fileSize, final Progress progress)
    {
        return run(command(fio, config, fileSize), config, progress);
    }

    /**
     * Runs fio with a given command line and parses its report.
     *
     * @param cmd      from {@link #command}.
     * @param config   the benchmark.
     * @param progress where to say fio is running.
     * @return fio's result.
     */
    public static BenchResult run(final List<String> cmd, final BenchConfig config, final Progress progress)
    {
        progress.note("fio: " + String.join(" ", cmd));
        final Process process;
        try
        {
            process = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        }
        catch (final IOException e)
        {
            throw new ConduitException(ErrorCode.TOOL_NOT_FOUND, INSTALL_HINT + " (" + e.getMessage() + ")");
        }
        final StreamCollector err = new StreamCollector(process.getErrorStream());
        final Thread errThread = Thread.ofPlatform().daemon(true).name("fio-stderr").start(err);
        final String out;
        final int exit;
        try (InputStream stdout = process.getInputStream())
        {
            out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
            exit = process.waitFor();
            errThread.join();
        }
        catch (final IOException e)
        {
            process.destroyForcibly();
            throw new ConduitException(ErrorCode.TOOL_FAILED, "reading fio's output: " + e.getMessage());
        }
        catch (final InterruptedException e)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ConduitException(ErrorCode.INTERRUPTED, "interrupted while fio ran");
        }
        if (exit != 0)
        {
            throw new ConduitException(ErrorCode.TOOL_FAILED, "fio exited with " + exit + ": " + (err.text() + " " + out).strip());
        }
        return parse(out, config.mode().isRead());
    }

    /**
     * Parses fio's {@code --output-format=json} report (text before the first {@code {}, such as
     * warnings, is skipped).
     *
     * @param json fio's standard output.
     * @param read take the read side of the job (else the write side).
     * @return the result.
     * @throws ConduitException {@code FIO_BAD_OUTPUT} when the report lacks what is needed.
     */
    public static BenchResult parse(final String json, final boolean read)
    {
        final int start = json.indexOf('{');
        if (start < 0)
        {
            throw badOutput("no JSON object in fio's output: " + json.strip());
        }
        final JsonNode root;
        try
        {
            root = new ObjectMapper().readTree(json.substring(start));
        }
        catch (final IOException e)
        {
            throw badOutput("fio's JSON does not parse: " + e.getMessage());
        }
        final JsonNode job = root.path("jobs").path(0);
        final JsonNode side = job.path(read ? "read" : "write");
        if (side.isMissingNode() || !side.has("bw_bytes") || !side.has("iops"))
        {
            throw badOutput("fio's report has no " + (read ? "read" : "write") + " statistics");
        }
        final JsonNode lat = side.path("lat_ns").has("percentile") ? side.path("lat_ns") : side.path("clat_ns");
        final JsonNode percentiles = lat.path("percentile");
        final double runtimeS = side.path("runtime").asDouble() / 1000.0;
        return new BenchResult("fio", "fio " + root.path("fio version").asText("?"), side.path("io_bytes").asLong(),
            side.path("total_ios").asLong(), runtimeS, side.path("bw_bytes").asDouble() / BenchResult.GIB,
            side.path("iops").asDouble(), percentile(percentiles, "50.000000"), percentile(percentiles, "99.000000"),
            percentile(percentiles, "99.900000"), lat.path("max").asDouble() / 1000.0);
    }

    private static double percentile(final JsonNode percentiles, final String key)
    {
        final JsonNode value = percentiles.path(key);
        if (value.isMissingNode())
        {
            throw badOutput("fio's report has no " + key + " latency percentile");
        }
        return value.asDouble() / 1000.0;
    }

    private static ConduitException badOutput(final String message)
    {
        return new ConduitException(ErrorCode.TOOL_FAILED, message);
    }

    /** Drains a child's stream so it never blocks on a full pipe; keeps the text for error messages. */
    private static final class StreamCollector implements Runnable
    {
        private final InputStream in;
        private volatile String text = "";

        StreamCollector(final InputStream in)
        {
            this.in = in;
        }

        String text()
        {
            return text;
        }

        @Override
        public void run()
        {
            try (InputStream stream = in)
            {
                text = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (final IOException e)
            {
                text = "(stderr unreadable: " + e.getMessage() + ")";
            }
        }
    }
}
