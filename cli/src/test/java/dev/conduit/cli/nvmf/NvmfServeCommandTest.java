package dev.conduit.cli.nvmf;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.namespace.FileNamespace;
import dev.conduit.cli.Main;
import dev.conduit.core.ConduitException;
import dev.conduit.nvmeof.command.NvmeStatus;
import dev.conduit.nvmeof.command.Opcodes;
import dev.conduit.nvmeof.initiator.HostController;
import dev.conduit.nvmeof.initiator.HostQueue;
import dev.conduit.nvmeof.initiator.Sqes;
import dev.conduit.nvmeof.pdu.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code conduit nvmf serve} as a user runs it: its own JVM, one stdout line when ready, a host
 * connecting to it, SIGTERM to stop.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NvmfServeCommandTest
{
    private static final String NQN = "nqn.2026-01.dev.conduit:cli";
    private static final String HOST = "nqn.2014-08.org.nvmexpress:uuid:00000000-1111-2222-3333-444444444444";

    @TempDir
    Path dir;

    private Process start(final Path stdout, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), Main.class.getName(), "nvmf", "serve"));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
            .redirectOutput(stdout.toFile()).redirectError(dir.resolve("stderr.log").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("CONDUIT_"));
        return builder.start();
    }

    private String awaitListening(final Process process, final Path stdout) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - deadlineNs < 0)
        {
            final String text = Files.readString(stdout, StandardCharsets.UTF_8);
            if (text.endsWith("\n"))
            {
                return text.strip();
            }
            if (!process.isAlive())
            {
                fail("exited with " + process.exitValue() + " before listening: " + Files.readString(dir.resolve("stderr.log")));
            }
            // Polling a file the child writes: there is no latch across processes.
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return fail("no 'listening on' line within 60 s");
    }

    @Test
    void shouldServeFileAndRamNamespacesUntilSigterm() throws Exception
    {
        final Path file = dir.resolve("ns.img");
        FileNamespace.create(file, 8L << 20).close();
        final Path stdout = dir.resolve("stdout.log");
        final Process process = start(stdout, "--nqn", NQN, "--namespace", file.toString(), "--namespace", "ram:4m",
            "--port", "0", "--allow-host", HOST);
        try
        {
            final String line = awaitListening(process, stdout);
            assertTrue(line.matches("listening on 127\\.0\\.0\\.1:\\d+"), line);
            final int port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
            final InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            try (Arena arena = Arena.ofShared();
                 HostController controller = HostController.connect(address, HostQueue.Options.of(HOST), NQN, 1))
            {
                assertEquals(2, Wire.u32(controller.identify(arena, 1, 0), 516), "two namespaces");
                final MemorySegment data = arena.allocate(8192, 4096);
                for (int i = 0; i < 8192; i += 8)
                {
                    data.set(ValueLayout.JAVA_LONG, i, 0x5EED_0000L + i);
                }
                final MemorySegment sqe = arena.allocate(64, 8);
                for (final int nsid : new int[] {1, 2})
                {
                    assertTrue(HostQueue.await(controller.io(0).submit(Sqes.readWrite(sqe, Opcodes.IO_WRITE, nsid, 4, 2), data, true), "write").ok());
                    final MemorySegment back = arena.allocate(8192, 4096);
                    assertTrue(HostQueue.await(controller.io(0).submit(Sqes.readWrite(sqe, Opcodes.IO_READ, nsid, 4, 2), back, false), "read").ok());
                    assertEquals(-1, data.mismatch(back));
                }
            }
            final ConduitException refused = assertThrows(ConduitException.class,
                () -> HostQueue.connect(new InetSocketAddress("127.0.0.1", port), HostQueue.Options.of(HOST + "x"), NQN, 0, 0xFFFF));
            assertEquals(NvmeStatus.CONNECT_INVALID_HOST, refused.nativeCode());

            process.destroy();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "stops on SIGTERM");
            assertEquals(0, process.exitValue(), Files.readString(dir.resolve("stderr.log")));
            assertEquals(1, Files.readAllLines(stdout).size(), "exactly one line on stdout");
        }
        finally
        {
            process.destroyForcibly();
        }
    }

    @Test
    void shouldRefuseAnAllowHostThatIsNotAnNqn()
    {
        for (final String bad : new String[] {"myhost", "nqn.2014-08.org.nvmexpress:uuid:not-a-uuid", "nqn.2026-13.dev.conduit:x"})
        {
            final CommandLine cmd = Main.commandLine();
            final StringWriter err = new StringWriter();
            cmd.setOut(new PrintWriter(new StringWriter()));
            cmd.setErr(new PrintWriter(err));
            final int exitCode = cmd.execute("nvmf", "serve", "--nqn", NQN, "--namespace", "ram:4m", "--port", "0", "--allow-host", bad);
            assertNotEquals(0, exitCode);
            assertTrue(err.toString().contains("--allow-host " + bad + " is not a host NQN"), err.toString());
        }
    }
}
