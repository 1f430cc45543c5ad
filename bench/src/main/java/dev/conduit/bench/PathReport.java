package dev.conduit.bench;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.gdspath.PathChoice;
import dev.conduit.gdspath.PathKind;
import dev.conduit.gdspath.PathStats;
import dev.conduit.nativebindings.cufile.CuFileDriverProperties;

/**
 * What {@link PathBench} found: the JSON of a plain {@code conduit bench} run ({@link BenchReport#json()})
 * with these fields added, and the same table with gdsio's line under it.
 * <ul>
 *   <li>{@code xfer_type}: {@code {x, name}}, gdsio's number and name;</li>
 *   <li>{@code data_path}: {@code {kind, reason}}, the path the reads ran on and why;</li>
 *   <li>{@code cpu}: {@code {process_s, s_per_gib}}, CPU time of the whole process during the measured
 *       run and per GiB read;</li>
 *   <li>{@code ios_by_path}: per path kind {@code {reads, read_bytes, read_errors, submit_cpu_s,
 *       engine_cpu_s, cpu_s_per_gib}} (the submitting threads' and the path's engine thread's CPU) from
 *       {@link dev.conduit.gdspath.DataPath#stats()};</li>
 *   <li>{@code cufile}: the cuFile driver's effective properties on the gds path, else null;</li>
 *   <li>{@code verified_bytes}: bytes checked equal to what was put ({@code --verify}), else null;</li>
 *   <li>{@code gdsio}: the result line as gdsio prints it.</li>
 * </ul>
 *
 * @param config        what ran.
 * @param xfer          the transfer type.
 * @param result        the figures.
 * @param path          the path and its reason.
 * @param stats         the data path's statistics after the run.
 * @param cpuNs         process CPU time during the run.
 * @param cufile        cuFile's properties when the gds path ran.
 * @param verifiedBytes bytes verified, or {@code -1} when not asked.
 * @param line          gdsio's line.
 */
public record PathReport(
    BenchConfig config, XferType xfer, BenchResult result, PathChoice path, Map<PathKind, PathStats> stats, long cpuNs,
    Optional<CuFileDriverProperties> cufile, long verifiedBytes, GdsioLine line)
{
    /** @return CPU-seconds per GiB read. */
    public double cpuSecondsPerGib()
    {
        return ProcessCpu.secondsPerGib(cpuNs, result.bytes());
    }

    /** @return the JSON object. */
    public ObjectNode json()
    {
        final ObjectNode root = new BenchReport(config, result).json();
        root.putObject("xfer_type").put("x", xfer.number()).put("name", xfer.gdsioName());
        root.putObject("data_path").put("kind", path.path().label()).put("reason", path.reason());
        root.putObject("cpu").put("process_s", BenchReport.round(cpuNs / 1e9, 4))
            .put("s_per_gib", BenchReport.round(cpuSecondsPerGib(), 4));
        final ObjectNode byPath = root.putObject("ios_by_path");
        for (final Map.Entry<PathKind, PathStats> e : stats.entrySet())
        {
            final PathStats s = e.getValue();
            byPath.putObject(e.getKey().label()).put("reads", s.reads()).put("read_bytes", s.readBytes())
                .put("read_errors", s.readErrors()).put("submit_cpu_s", BenchReport.round(s.submitCpuNs() / 1e9, 4))
                .put("engine_cpu_s", BenchReport.round(s.engineCpuNs() / 1e9, 4))
                .put("cpu_s_per_gib", BenchReport.round(s.cpuSecondsPerGib(), 4));
        }
        root.set("cufile", cufile.map(p -> CuFileJson.properties(p).put("compat_mode_allowed", p.compatModeAllowed()))
            .orElse(null));
        if (verifiedBytes >= 0)
        {
            root.put("verified_bytes", verifiedBytes);
        }
        else
        {
            root.putNull("verified_bytes");
        }
        root.put("gdsio", line.format());
        return root;
    }

    /** @return the table, gdsio's line, CPU cost and the reads per path. */
    public String text()
    {
        final StringBuilder sb = new StringBuilder(new BenchReport(config, result).text());
        sb.append(line.format()).append(System.lineSeparator());
        sb.append(String.format(Locale.ROOT, "path %s (%s); %.4f CPU-s/GiB (process); reads:", path.path().label(),
            path.reason(), cpuSecondsPerGib()));
        stats.forEach((kind, s) -> sb.append(' ').append(kind.label()).append('=').append(s.reads())
            .append(String.format(Locale.ROOT, " (%.4f CPU-s/GiB)", s.cpuSecondsPerGib())));
        sb.append(System.lineSeparator());
        if (verifiedBytes >= 0)
        {
            sb.append("verified: ").append(verifiedBytes).append(" bytes equal to what was put").append(System.lineSeparator());
        }
        return sb.toString();
    }
}
