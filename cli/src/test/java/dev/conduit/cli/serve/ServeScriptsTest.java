package dev.conduit.cli.serve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.conduit.cli.ScriptProcess;
import dev.conduit.cli.ScriptProcess.Result;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The S3 client scripts stay shellcheck-clean (each sourced helper checked in the context of the
 * script that sources it) and the boto3 check parses; the scripts themselves run from ci/test.sh
 * after Maven, against a built {@code bin/conduit}.
 */
@Timeout(120)
class ServeScriptsTest
{
    @Test
    void shouldBeShellcheckClean() throws Exception
    {
        Assumptions.assumeTrue(ScriptProcess.onPath("shellcheck"), "shellcheck is not installed (.ci/run installs it)");
        final List<String> command = new ArrayList<>(List.of("shellcheck", "-x", "ci/s3-clients.sh", "ci/test.sh", ".ci/run"));
        try (Stream<Path> helpers = Files.list(ScriptProcess.ROOT.resolve("ci/s3")))
        {
            helpers.filter(p -> p.toString().endsWith(".sh")).sorted().forEach(p -> command.add(ScriptProcess.ROOT.relativize(p).toString()));
        }
        assertTrue(command.size() > 6, "the helpers under ci/s3 were not found: " + command);

        final Result result = ScriptProcess.run(command);

        assertEquals(0, result.exitCode(), result.output());
    }

    @Test
    void shouldParseTheBoto3Check() throws Exception
    {
        Assumptions.assumeTrue(ScriptProcess.onPath("python3"), "python3 is not installed");

        final Result result = ScriptProcess.run(List.of("python3", "-c", "import ast, sys; ast.parse(open(sys.argv[1], encoding='utf-8').read())",
            "ci/s3/boto3_check.py"));

        assertEquals(0, result.exitCode(), result.output());
    }
}
