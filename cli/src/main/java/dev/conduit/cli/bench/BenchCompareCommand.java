package dev.conduit.cli.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.bench.report.ReportWriter;
import dev.conduit.bench.report.RunComparison;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code conduit bench compare A.json B.json}: Conduit's figures in two runs of the same workload, B against
 * A, each change marked by whether it lies outside the rounds' spread ({@link RunComparison}). Runs of
 * different workloads are refused.
 */
@Command(name = "compare", description = {"Compare two runs of the same workload (their --json output or " +
    "--report DIR/result.json): GiB/s, IOPS or req/s, p50, p99, p99.9, B against A.",
    "A change is 'outside' the spread when B's median lies outside A's min..max over its rounds and A's median " +
        "outside B's; 'unknown' when a run has fewer than 2 rounds."})
public final class BenchCompareCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A.json", description = "the baseline run")
    private Path a;

    @Parameters(index = "1", paramLabel = "B.json", description = "the run compared with it")
    private Path b;

    @Option(names = "--report", paramLabel = "DIR", description = "also write DIR/report.html (table and chart) and " +
        "DIR/compare.png")
    private Path reportDir;

    @Override
    public Integer call()
    {
        final JsonNode runA = ReportWriter.read(a);
        final JsonNode runB = ReportWriter.read(b);
        final RunComparison comparison;
        try
        {
            comparison = RunComparison.of(runA, runB);
        }
        catch (final IllegalArgumentException e)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, a + " and " + b + ": " + e.getMessage(), e);
        }
        final PrintWriter out = spec.commandLine().getOut();
        out.print(comparison.text());
        out.flush();
        if (reportDir != null)
        {
            final Path page = ReportWriter.writeComparison(reportDir, comparison, a.toString(), b.toString());
            System.err.println("report: " + page.toAbsolutePath());
        }
        return 0;
    }
}
