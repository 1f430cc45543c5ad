package dev.conduit.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.conduit.cli.ScriptProcess.Result;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The NVMe/TCP kernel interop harness (ci/nvmf-interop.sh, ci/nvmf/*.sh) stays shellcheck-clean and its
 * lab script answers without booting anything; the harness itself runs from ci/test.sh.
 */
@Timeout(120)
class NvmfLabScriptsTest
{
    @Test
    void shouldBeShellcheckClean() throws Exception
    {
        Assumptions.assumeTrue(ScriptProcess.onPath("shellcheck"), "shellcheck is not installed (.ci/run installs it)");
        final List<String> command = new ArrayList<>(List.of("shellcheck", "-x", "ci/nvmf-interop.sh"));
        try (Stream<Path> scripts = Files.list(ScriptProcess.ROOT.resolve("ci/nvmf")))
        {
            scripts.filter(p -> p.toString().endsWith(".sh")).sorted().forEach(p -> command.add(ScriptProcess.ROOT.relativize(p).toString()));
        }
        assertTrue(command.contains("ci/nvmf/lab.sh") && command.contains("ci/nvmf/guest-init.sh"), "scripts not found: " + command);

        final Result result = ScriptProcess.run(command);

        assertEquals(0, result.exitCode(), result.output());
    }

    @Test
    void shouldPrintTheFixedGuestHostNqn() throws Exception
    {
        final Result result = ScriptProcess.run(List.of("ci/nvmf/lab.sh", "hostnqn"));

        assertEquals(0, result.exitCode(), result.output());
        assertEquals("nqn.2014-08.org.nvmexpress:uuid:c0d0c7a1-0000-4000-8000-00000000f00d", result.output().strip());
    }

    @Test
    void shouldListTheModesAndFailOnAnUnknownOne() throws Exception
    {
        final Result result = ScriptProcess.run(List.of("ci/nvmf/lab.sh", "no-such-mode"));

        assertEquals(2, result.exitCode(), result.output());
        for (final String mode : List.of("setup", "initiator", "target-up", "capture-start", "judge", "suite", "self-test"))
        {
            assertTrue(result.output().contains("#   " + mode), mode + " missing from: " + result.output());
        }
    }
}
