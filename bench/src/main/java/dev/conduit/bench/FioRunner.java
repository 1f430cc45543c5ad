package dev.conduit.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * The fio side of {@code conduit bench --vs-fio}: fio at its best on the work Conduit did (see
 * {@link #command}: the same regions, block size, total depth, duration and rate, and the equivalent
 * of Conduit's engine options), run as a child process whose JSON report is parsed into a
 * {@link BenchResult}. fio is not bundled or installed by Conduit; when it is missing the error says
 * how to get it.
 */
public final class FioRunner
{
    /** Code of the exception thrown when fio is not installed. */
    private static final String INSTALL_HINT = "fio is not installed (or not on PATH). It is a Debian/Ubuntu package: " +
        "sudo apt-get install fio (Fedora/RHEL: sudo dnf install fio); or pass --fio PATH";

    /** The shortest interval kept as a per-second sample (the same half second as Conduit's side). */
    private static final long MIN_SAMPLE_MS = 500;

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
        return Executables.onPath("fio").orElseThrow(() -> new ConduitException(ErrorCode.TOOL_NOT_FOUND, INSTALL_HINT));
    }

    /**
     * fio's command line for the work Conduit did: one job per region (the whole target file, or each run
     * of an object's blocks), the engine options Conduit's ring used ({@code registerfiles},
     * {@code fixedbufs}), the same total depth ({@code qd × threads}; over several regions split in
     * proportion to their sizes, as Conduit's uniformly spread I/Os are), the same direct/buffered
     * setting, and with {@code --rate} the same total rate.
     *
     * @param fio     the executable.
     * @param config  the benchmark.
     * @param ioPath  how Conduit's side did its I/O.
     * @param regions where Conduit's I/O went.
     * @return fio's command line.
     * @throws ConduitException {@link ErrorCode#INVALID_ARGUMENT} when fio cannot be given the same setting.
     */
    public static List<String> command(final Path fio, final BenchConfig config, final IoPath ioPath,
        final List<Region> regions)
    {
        if (ioPath.direct() != config.direct())
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "Conduit ran " +
                (ioPath.direct() ? "with O_DIRECT" : "buffered") + " where " + (config.direct() ? "O_DIRECT" : "buffered") +
                " was asked for; fio would not run the same work");
        }
        if (ioPath.engine().equals(IoPath.NULL))
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "the null backend does no I/O; fio has nothing to compare it with (drop --vs-fio or --backend null)");
        }
        final int totalDepth = config.totalQueueDepth();
        if (regions.isEmpty() || regions.size() > totalDepth)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "the work lies in " +
                regions.size() + " separate runs of blocks; fio needs one job per run, so --qd x --threads must be " +
                "at least that (it is " + totalDepth + ")");
        }
        final boolean psync = ioPath.engine().equals(IoPath.PREAD);
        final int[] depths = regions.size() == 1 ? new int[] {config.queueDepth()} : shares(regions, totalDepth);
        final List<String> cmd = new ArrayList<>();
        cmd.add(fio.toString());
        cmd.add("--output-format=json");
        cmd.add("--group_reporting");
        for (int i = 0; i < regions.size(); i++)
        {
            final Region region = regions.get(i);
            // Over one region each of Conduit's jobs is a fio job; over several, one fio job per region.
            final int jobs = regions.size() == 1 ? config.threads() : 1;
            cmd.add("--name=conduit-vs-fio-" + i);
            cmd.add("--filename=" + region.file());
            cmd.add("--offset=" + region.offsetBytes());
            cmd.add("--size=" + region.sizeBytes());
            if (psync)
            {
                // Conduit's pread backend runs one blocking call per slot: a fio thread per slot.
                cmd.add("--ioengine=psync");
                cmd.add("--iodepth=1");
                cmd.add("--numjobs=" + jobs * depths[i]);
            }
            else
            {
                cmd.add("--ioengine=io_uring");
                if (ioPath.registeredFiles())
                {
                    cmd.add("--registerfiles");
                }
                if (ioPath.fixedBuffers())
                {
                    cmd.add("--fixedbufs");
                }
                cmd.add("--iodepth=" + depths[i]);
                cmd.add("--numjobs=" + jobs);
            }
            if (config.openLoop())
            {
                final long perThreadDepth = psync ? 1 : depths[i];
                cmd.add("--rate_iops=" + Math.max(1, Math.round((double)config.rateIops() * perThreadDepth / totalDepth)));
            }
            addWorkload(cmd, config);
        }
        return cmd;
    }

    /** Splits {@code total} over the regions in proportion to their sizes (largest remainder), at least 1 each. */
    static int[] shares(final List<Region> regions, final int total)
    {
        long sumBytes = 0;
        for (final Region region : regions)
        {
            sumBytes += region.sizeBytes();
        }
        final int[] shares = new int[regions.size()];
        final double[] remainders = new double[regions.size()];
        int given = 0;
        for (int i = 0; i < shares.length; i++)
        {
            final double exact = (double)total * regions.get(i).sizeBytes() / sumBytes;
            shares[i] = Math.max(1, (int)exact);
            remainders[i] = exact - (int)exact;
            given += shares[i];
        }
        while (given != total)
        {
            int pick = -1;
            for (int i = 0; i < shares.length; i++)
            {
                final boolean eligible = given < total || shares[i] > 1;
                if (eligible && (pick < 0 || (given < total ? remainders[i] > remainders[pick] : remainders[i] < remainders[pick])))
                {
                    pick = i;
                }
            }
            shares[pick] += given < total ? 1 : -1;
            remainders[pick] = given < total ? -1 : 2;
            given += given < total ? 1 : -1;
        }
        return shares;
    }

    private static void addWorkload(final List<String> cmd, final BenchConfig config)
    {
        cmd.add("--direct=" + (config.direct() ? 1 : 0));
        cmd.add("--rw=" + config.mode().fioName());
        cmd.add("--bs=" + Sizes.fioSize(config.blockSizeBytes()));
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
        cmd.add("--percentile_list=" + LatencySpectrum.fioList());
        // A cumulative report every second as well as the final one: the report's per-second series.
        cmd.add("--status-interval=1");
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
     * Parses fio's {@code --output-format=json} output (text before the first <code>{</code>, such as
     * warnings, is skipped): with {@code --status-interval} a cumulative report each interval and the
     * final one last. The final report gives the figures; the differences between consecutive reports
     * give the per-second series.
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
        final List<JsonNode> reports = new ArrayList<>();
        try (MappingIterator<JsonNode> it =
            new ObjectMapper().readerFor(JsonNode.class).readValues(json.substring(start)))
        {
            while (it.hasNextValue())
            {
                reports.add(it.nextValue());
            }
        }
        catch (final IOException | RuntimeException e)
        {
            throw badOutput("fio's JSON does not parse: " + e.getMessage());
        }
        final JsonNode root = reports.getLast();
        final JsonNode side = side(root, read);
        if (side.isMissingNode() || !side.has("bw_bytes") || !side.has("iops"))
        {
            throw badOutput("fio's report has no " + (read ? "read" : "write") + " statistics");
        }
        final JsonNode lat = side.path("lat_ns").has("percentile") ? side.path("lat_ns") : side.path("clat_ns");
        final JsonNode percentiles = lat.path("percentile");
        final List<LatencyPoint> spectrum = new ArrayList<>();
        for (final double p : LatencySpectrum.PERCENTILES)
        {
            if (percentiles.has(LatencySpectrum.fioKey(p)))
            {
                spectrum.add(new LatencyPoint(p, percentile(percentiles, LatencySpectrum.fioKey(p))));
            }
        }
        final double runtimeS = side.path("runtime").asDouble() / 1000.0;
        return new BenchResult("fio", "fio " + root.path("fio version").asText("?"), side.path("io_bytes").asLong(),
            side.path("total_ios").asLong(), runtimeS, side.path("bw_bytes").asDouble() / BenchResult.GIB,
            side.path("iops").asDouble(), percentile(percentiles, "50.000000"), percentile(percentiles, "99.000000"),
            percentile(percentiles, "99.900000"), lat.path("max").asDouble() / 1000.0,
            lat.path("N").asLong(side.path("total_ios").asLong()), perSecond(reports, read), spectrum);
    }

    private static JsonNode side(final JsonNode report, final boolean read)
    {
        return report.path("jobs").path(0).path(read ? "read" : "write");
    }

    /**
     * @param reports fio's cumulative reports in order.
     * @param read    the read side, else the write side.
     * @return the rate between each report and the one before; reports during a ramp (at runtime 0) give none,
     *         and neither does a last interval under half a second (the run's end, not a second of it), as
     *         Conduit's side keeps none.
     */
    static List<RateSample> perSecond(final List<JsonNode> reports, final boolean read)
    {
        final List<RateSample> samples = new ArrayList<>();
        long lastMs = 0;
        long lastBytes = 0;
        long lastIos = 0;
        for (final JsonNode report : reports)
        {
            final JsonNode side = side(report, read);
            final long ms = side.path("runtime").asLong();
            final long bytes = side.path("io_bytes").asLong();
            final long ios = side.path("total_ios").asLong();
            if (ms - lastMs >= MIN_SAMPLE_MS)
            {
                final double seconds = (ms - lastMs) / 1000.0;
                samples.add(new RateSample(ms / 1000.0, (bytes - lastBytes) / seconds / BenchResult.GIB,
                    (ios - lastIos) / seconds));
                lastMs = ms;
                lastBytes = bytes;
                lastIos = ios;
            }
        }
        return samples;
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
