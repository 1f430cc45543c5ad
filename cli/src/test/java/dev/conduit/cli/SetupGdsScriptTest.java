package dev.conduit.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** scripts/setup-gds.sh: the verdict and exit code on this machine, the config it writes, shellcheck. */
@Timeout(120)
class SetupGdsScriptTest
{
    private static final Path SCRIPT = Path.of("..", "scripts", "setup-gds.sh").toAbsolutePath().normalize();
    private static final int NOT_POSSIBLE = 3;

    @Test
    void shouldReportNoGpuAndExitNotPossibleOnAHostWithoutAnNvidiaGpu(@TempDir final Path data) throws Exception
    {
        Assumptions.assumeFalse(hasNvidiaGpu(), "this host has an NVIDIA GPU on the PCI bus");

        final Result r = run("--check", "--data", data.toString());

        assertEquals(NOT_POSSIBLE, r.exitCode(), r.output());
        assertTrue(r.output().contains("VERDICT: not possible -- no GPU"), r.output());
        assertTrue(r.output().contains("0 NVIDIA GPU(s)"), r.output());
        assertTrue(r.output().contains("apt-get install -y nvidia-gds") || r.output().contains("nvidia-gds"), r.output());
    }

    @Test
    void shouldCheckByDefault() throws Exception
    {
        final Result r = run();

        assertTrue(r.output().startsWith("== Conduit GPUDirect Storage check (read-only)"), r.output());
        assertTrue(r.output().contains("VERDICT: "), r.output());
        assertTrue(List.of(0, 2, 3).contains(r.exitCode()), "exit " + r.exitCode());
    }

    @Test
    void shouldWriteAValidCufileJsonForTheDataDirectory(@TempDir final Path data) throws Exception
    {
        final Result first = run("--write-config", data.toString());
        final Result second = run("--write-config", data.toString());

        assertEquals(0, first.exitCode(), first.output());
        assertEquals(0, second.exitCode(), second.output());
        final Path written = data.resolve("cufile.json").toRealPath();
        final JsonNode config = new ObjectMapper().readTree(written.toFile());
        assertTrue(config.path("properties").path("allow_compat_mode").asBoolean());
        assertEquals(16384, config.path("properties").path("max_direct_io_size_kb").asInt());
        assertEquals(128, config.path("properties").path("io_batchsize").asInt());
        assertEquals(data.toRealPath().resolve("log").toString(), config.path("logging").path("dir").asText());
        assertTrue(Files.isDirectory(data.resolve("log")));
        assertTrue(Files.exists(data.resolve("cufile.json.bak")), "the previous file is kept");
        assertTrue(first.output().contains("export CUFILE_ENV_PATH_JSON=" + written), first.output());
    }

    @Test
    void shouldRejectUnknownArgumentsWithTheUsageExitCode() throws Exception
    {
        final Result r = run("--frobnicate");

        assertEquals(64, r.exitCode());
        assertTrue(r.output().contains("unknown argument: --frobnicate"), r.output());
    }

    @Test
    void shouldBeShellcheckClean() throws Exception
    {
        Assumptions.assumeTrue(onPath("shellcheck"), "shellcheck is not installed (.ci/run installs it)");

        final Result r = exec(List.of("shellcheck", SCRIPT.toString()));

        assertEquals(0, r.exitCode(), r.output());
    }

    private static boolean hasNvidiaGpu() throws IOException
    {
        final Path devices = Path.of("/sys/bus/pci/devices");
        if (!Files.isDirectory(devices))
        {
            return false;
        }
        try (Stream<Path> list = Files.list(devices))
        {
            return list.anyMatch(d -> read(d.resolve("vendor")).equals("0x10de")
                && (read(d.resolve("class")).startsWith("0x0300") || read(d.resolve("class")).startsWith("0x0302")));
        }
    }

    private static String read(final Path p)
    {
        try
        {
            return Files.readString(p).trim();
        }
        catch (final IOException e)
        {
            return "";
        }
    }

    private static boolean onPath(final String command)
    {
        final String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private static Result run(final String... args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        return exec(command);
    }

    private static Result exec(final List<String> command) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " timed out");
        return new Result(p.exitValue(), out);
    }

    private record Result(int exitCode, String output)
    {
    }
}
