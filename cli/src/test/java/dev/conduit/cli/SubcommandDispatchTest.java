package dev.conduit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.conduit.core.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line that {@link Main#execute} builds for given arguments (only the named subcommand's
 * model) answers exactly as the full tree does: every subcommand reachable with the same usage,
 * global options before or after the subcommand, {@code --help}, {@code help}, unknown names.
 */
@Timeout(60)
class SubcommandDispatchTest
{
    @Test
    void shouldFindTheSubcommandNameAfterGlobalOptionsAndTheirValues()
    {
        assertEquals("tier", Main.subcommandName("--data", "d", "--set", "k=v", "--config", "c", "tier", "--server", "x", "ls"));
        assertEquals("ls", Main.subcommandName("--data=d", "-h", "ls"));
        assertEquals("stat", Main.subcommandName("--set", "tier", "stat"));
        assertNull(Main.subcommandName("--version"));
        assertNull(Main.subcommandName("--data"));
        assertNull(Main.subcommandName("--", "tier"));
        assertNull(Main.subcommandName());
    }

    @Test
    void shouldListEverySubcommandThatTheDispatchKnowsInTheFullTree()
    {
        final List<String> expected = new ArrayList<>(Main.SUBCOMMANDS);
        expected.add("help");

        assertEquals(expected, List.copyOf(Main.commandLine(Map.of()).getSubcommands().keySet()));
        for (final String name : Main.SUBCOMMANDS)
        {
            assertEquals(name, Main.subcommand(name).getAnnotation(CommandLine.Command.class).name(), "class of " + name);
        }
    }

    @Test
    void shouldBuildOnlyTheNamedSubcommandWithTheSameModelAsTheFullTree()
    {
        final CommandLine full = Main.commandLine(Map.of());
        for (final String name : Main.SUBCOMMANDS)
        {
            final CommandLine dispatched = Main.commandLine(Map.of(), "--data", "d", name, "--help");
            assertEquals(List.of(name), List.copyOf(dispatched.getSubcommands().keySet()));
            assertEquals(full.getSubcommands().get(name).getUsageMessage(), dispatched.getSubcommands().get(name).getUsageMessage(), name);

            final CapturedRun help = run("--data", "d", name, "--help");
            assertEquals(0, help.exitCode(), name + ": " + help.err());
            assertEquals(full.getSubcommands().get(name).getUsageMessage(), help.out(), name);
        }
    }

    @Test
    void shouldTakeGlobalOptionsBeforeAndAfterTheSubcommand()
    {
        final CommandLine before = Main.commandLine(Map.of(), "--data", "/before", "--set", "s3.region=eu-west-9", "tier", "ls");
        before.parseArgs("--data", "/before", "--set", "s3.region=eu-west-9", "tier", "ls");
        final Main main = before.getCommand();
        assertEquals(Path.of("/before"), main.dataDir());
        assertEquals("eu-west-9", main.config().get(Settings.S3_REGION));

        final CommandLine after = Main.commandLine(Map.of(), "tier", "--data=/after", "ls");
        after.parseArgs("tier", "--data=/after", "ls");
        assertEquals(Path.of("/after"), ((Main) after.getCommand()).dataDir());
    }

    @Test
    void shouldPrintTheFullUsageForHelpNoSubcommandAndTheHelpCommand()
    {
        final String usage = Main.commandLine(Map.of()).getUsageMessage();

        final CapturedRun help = run("--help");
        final CapturedRun none = run();
        final CapturedRun withOption = run("--data", "d");
        final CapturedRun helpTier = run("help", "tier");

        assertEquals(0, help.exitCode());
        assertEquals(usage, help.out());
        assertEquals(usage, none.out());
        assertEquals(usage, withOption.out());
        for (final String name : Main.SUBCOMMANDS)
        {
            assertTrue(help.out().contains("\n  " + name + " "), name + " missing from\n" + help.out());
        }
        assertEquals(0, helpTier.exitCode());
        assertEquals(Main.commandLine(Map.of()).getSubcommands().get("tier").getUsageMessage(), helpTier.out());
    }

    @Test
    void shouldAnswerAnUnknownCommandWithTheFullUsage()
    {
        final CapturedRun bogus = run("--data", "d", "bogus");

        assertEquals(ExitCodes.USAGE, bogus.exitCode());
        assertEquals("Unmatched argument at index 2: 'bogus'\n" + Main.commandLine(Map.of()).getUsageMessage(), bogus.err());
        assertEquals("", bogus.out());
    }

    @Test
    void shouldPrintTheVersionWithoutAnySubcommand()
    {
        assertEquals(List.of(), List.copyOf(Main.commandLine(Map.of(), "--version").getSubcommands().keySet()));

        final CapturedRun version = run("--version");
        final CapturedRun shortVersion = run("-V");

        assertEquals(0, version.exitCode());
        assertTrue(version.out().startsWith("conduit "), version.out());
        assertEquals(version.out(), shortVersion.out());
    }

    private static CapturedRun run(final String... args)
    {
        return CapturedRun.of(Main.commandLine(Map.of(), args), args);
    }
}
