package dev.conduit.cli.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.cli.ExitCodes;
import dev.conduit.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code conduit bench compare A.json B.json [--report DIR]} on run files as {@code bench --json} writes them. */
class BenchCompareCommandTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private record Result(int exitCode, String out, String err)
    {
    }

    private static Result compare(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        final String[] all = new String[args.length + 2];
        all[0] = "bench";
        all[1] = "compare";
        System.arraycopy(args, 0, all, 2, args.length);
        final int code = cmd.execute(all);
        return new Result(code, out.toString(), err.toString());
    }

    private Path runFile(final String name, final long bs, final double... roundsGib) throws Exception
    {
        final ObjectNode run = MAPPER.createObjectNode();
        run.putObject("config").put("mode", "randread").put("bs", bs).put("qd", 16).put("threads", 1)
            .put("size", 1 << 28).put("direct", true).put("rate_iops", 0).put("path", "host");
        final ArrayNode rounds = run.putArray("rounds");
        final double[] sorted = roundsGib.clone();
        Arrays.sort(sorted);
        run.set("conduit", side(sorted[sorted.length / 2], bs));
        for (int i = 0; i < roundsGib.length; i++)
        {
            rounds.addObject().put("round", i + 1).set("conduit", side(roundsGib[i], bs));
        }
        final Path file = dir.resolve(name);
        Files.writeString(file, run.toPrettyString());
        return file;
    }

    private static ObjectNode side(final double gib, final long bs)
    {
        final ObjectNode side = MAPPER.createObjectNode().put("gib_s", gib).put("iops", gib * (1 << 30) / bs);
        side.putObject("lat_us").put("p50", 100 / gib).put("p99", 300 / gib).put("p999", 800 / gib);
        return side;
    }

    @Test
    void shouldPrintEachFiguresChangeAndWriteTheReport() throws Exception
    {
        final Path a = runFile("a.json", 4096, 1.0, 0.98, 1.02);
        final Path b = runFile("b.json", 4096, 1.5, 1.48, 1.52);
        final Path report = dir.resolve("cmp");
        final Result r = compare(a.toString(), b.toString(), "--report", report.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().lines()
            .anyMatch(l -> l.startsWith("GiB/s") && l.contains("+50.00%") && l.endsWith("outside")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("p99 (µs)") && l.contains("-33.33%")), r.out());
        final String html = Files.readString(report.resolve("report.html"));
        assertTrue(html.contains("id=\"chart-compare\"") && html.contains("<svg"), html);
        assertTrue(Files.size(report.resolve("compare.png")) > 0);
    }

    @Test
    void shouldRefuseRunsOfDifferentWorkloads() throws Exception
    {
        final Result r = compare(runFile("a.json", 4096, 1.0).toString(), runFile("b.json", 1 << 20, 1.0).toString());
        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains("different workloads") && r.err().contains("bs 4096 vs 1048576"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void shouldNeedTwoFiles()
    {
        assertEquals(ExitCodes.USAGE, compare(dir.resolve("only.json").toString()).exitCode());
    }
}
