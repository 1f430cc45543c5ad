package dev.conduit.cli.nvmf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.nvmeof.target.NvmfTarget;
import dev.conduit.nvmeof.target.NvmfTargetConfig;
import dev.conduit.nvmeof.target.Subsystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code conduit format --namespace nvmf://...} twice over: a store striped over two Conduit targets on loopback. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RemoteFormatCommandTest
{
    private static final long CAPACITY_BYTES = 48L << 20;

    @TempDir
    Path dir;

    private final List<Node> nodes = new ArrayList<>();

    /** A node of the scale-out picture: one Conduit target on loopback exporting one RAM namespace. */
    private record Node(MemoryNamespace ram, NvmfTarget target) implements AutoCloseable
    {
        static Node start(final int index)
        {
            final MemoryNamespace ram = MemoryNamespace.allocate("format-ram" + index, CAPACITY_BYTES);
            final Subsystem subsystem = new Subsystem(nqn(index), List.of(ram), Set.of(NvmfCheckCommand.DEFAULT_HOST_NQN), false, "CNDTFMT" + index);
            return new Node(ram, NvmfTarget.start(NvmfTargetConfig.defaults("127.0.0.1", 0), List.of(subsystem)));
        }

        @Override
        public void close()
        {
            target.close();
            ram.close();
        }
    }

    @BeforeEach
    void start()
    {
        nodes.add(Node.start(0));
        nodes.add(Node.start(1));
    }

    @AfterEach
    void stop()
    {
        nodes.forEach(Node::close);
    }

    private static String nqn(final int node)
    {
        return "nqn.2026-01.dev.conduit:format" + node;
    }

    private String uri(final int node)
    {
        return "nvmf://127.0.0.1:" + nodes.get(node).target().localAddress().getPort() + "/" + nqn(node) + "/1";
    }

    private static CliResult conduit(final String... args)
    {
        return CliResult.run(args);
    }

    @Test
    void shouldFormatPutAndGetAcrossTwoTargets() throws IOException
    {
        final String data = dir.resolve("store").toString();
        final CliResult format = conduit("--data", data, "format", "--namespace", uri(0), "--namespace", uri(1));
        assertEquals(0, format.exitCode(), format.err());
        assertTrue(format.out().startsWith("formatted ") && format.out().contains("2 namespace(s)"), format.out());

        final byte[] content = new byte[(4 << 20) + 999];
        new SplittableRandom(3).nextBytes(content);
        final Path in = Files.write(dir.resolve("in.bin"), content);
        final CliResult put = conduit("--data", data, "put", "remote/a", in.toString());
        assertEquals(0, put.exitCode(), put.err());
        final Path out = dir.resolve("out.bin");
        final CliResult get = conduit("--data", data, "get", "remote/a", out.toString());
        assertEquals(0, get.exitCode(), get.err());
        assertArrayEquals(content, Files.readAllBytes(out));

        final CliResult stat = conduit("--data", data, "stat", "remote/a", "--json");
        assertEquals(0, stat.exitCode(), stat.err());
        final Set<Integer> namespaces = new HashSet<>();
        new ObjectMapper().readTree(stat.out()).get("extents").forEach(e -> namespaces.add(e.get("namespace").asInt()));
        assertEquals(Set.of(0, 1), namespaces, "striped over both targets: " + stat.out());
        final CliResult fsck = conduit("--data", data, "fsck");
        assertEquals(0, fsck.exitCode(), fsck.out() + fsck.err());
    }

    @Test
    void shouldRefuseSizeWithNamespaceAndAnUnknownScheme()
    {
        final String data = dir.resolve("refused").toString();
        assertNotEquals(0, conduit("--data", data, "format", "--size", "64m", "--namespace", uri(0)).exitCode());
        final CliResult unknown = conduit("--data", data, "format", "--namespace", "nosuch://x/1");
        assertNotEquals(0, unknown.exitCode());
        assertTrue(unknown.err().contains("nosuch://"), unknown.err());
    }
}
