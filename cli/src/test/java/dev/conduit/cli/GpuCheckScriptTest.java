package dev.conduit.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ci/gpu-check.sh: shellcheck-clean, and on a host without an NVIDIA GPU it says so and exits 0 without
 * building anything (the GPU branch runs on GPU hosts only, by hand or in a GPU job).
 */
@Timeout(60)
class GpuCheckScriptTest
{
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void shouldSayThereIsNoGpuAndSucceedOnAGpuLessHost() throws Exception
    {
        Assumptions.assumeFalse(hasNvidiaGpu(), "this host has an NVIDIA GPU: the script runs the real check");
        final Process p = new ProcessBuilder("ci/gpu-check.sh").directory(ROOT.toFile()).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("gpu-check: no NVIDIA GPU on this host"), out);
        assertEquals(1, out.strip().lines().count(), "one line, nothing built: " + out);
    }

    @Test
    void shouldBeShellcheckClean() throws Exception
    {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/shellcheck")), "shellcheck is not installed (.ci/run installs it)");
        final Process p = new ProcessBuilder("shellcheck", "ci/gpu-check.sh", "examples/launcher/run.sh")
            .directory(ROOT.toFile()).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
    }

    /** The script's own two tests: nvidia-smi lists a GPU, or the driver's proc directory has one. */
    private static boolean hasNvidiaGpu() throws IOException, InterruptedException
    {
        try
        {
            final Process smi = new ProcessBuilder("nvidia-smi", "-L").redirectErrorStream(true).start();
            final String out = new String(smi.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (smi.waitFor(10, TimeUnit.SECONDS) && out.lines().anyMatch(line -> line.startsWith("GPU ")))
            {
                return true;
            }
        }
        catch (final IOException e)
        {
            // No nvidia-smi: the proc directory decides.
        }
        final Path gpus = Path.of("/proc/driver/nvidia/gpus");
        if (!Files.isDirectory(gpus))
        {
            return false;
        }
        try (Stream<Path> entries = Files.list(gpus))
        {
            return entries.findAny().isPresent();
        }
    }
}
