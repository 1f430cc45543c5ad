package dev.conduit.cli.doctor;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.cli.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code conduit doctor [--json] [PATH]}: what this host can do for Conduit, in the spirit of
 * {@code gdscheck -p}, and the effective configuration with each value's source (library
 * overrides first, as {@code OVERRIDE:} lines). Read-only apart from a short-lived probe file in PATH; always exits 0
 * unless the command line is wrong, because a missing GPU or library is an answer, not an error.
 */
@Command(name = "doctor", description = "Report what this host can do (JDK, kernel, io_uring, filesystem, CUDA, cuFile, SPDK, data path) and the effective configuration.")
public final class DoctorCommand implements Callable<Integer>
{
    @CommandLine.ParentCommand
    private Main main;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "print one JSON object")
    private boolean json;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH", description = "directory to test (default: the data directory)")
    private Path path;

    @Override
    public Integer call()
    {
        final Path target = path != null ? path : main.dataDir();
        final ObjectNode report = HostReport.collect(target, main.config());
        final String text = json ? ReportRenderer.json(report) : ReportRenderer.text(report);
        spec.commandLine().getOut().println(text);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
