package dev.conduit.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs a repository script or tool for a test: exit code and merged output, bounded in time. */
public final class ScriptProcess
{
    /** The repository root, seen from a module's working directory. */
    public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private ScriptProcess()
    {
    }

    /** What a finished command left: its exit code and its stdout and stderr together. */
    public record Result(int exitCode, String output)
    {
    }

    /** Runs {@code command} in the repository root; fails the test if it runs past 60 s. */
    public static Result run(final List<String> command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        return new Result(process.exitValue(), output);
    }

    /** Whether an executable named {@code tool} is on the PATH. */
    public static boolean onPath(final String tool)
    {
        final String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }
}
