package dev.conduit.nvmeof.initiator;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nvmeof.target.NvmfTarget;
import dev.conduit.nvmeof.target.NvmfTargetConfig;
import dev.conduit.nvmeof.target.Subsystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DiscoveryTest
{
    private static final String HOST = "nqn.2014-08.org.nvmexpress:uuid:d15c0000-0000-4000-8000-000000000001";
    private static final String OTHER_HOST = "nqn.2014-08.org.nvmexpress:uuid:d15c0000-0000-4000-8000-000000000002";

    private MemoryNamespace a;
    private MemoryNamespace b;
    private NvmfTarget target;

    @BeforeEach
    void start()
    {
        a = MemoryNamespace.allocate("a", 1L << 20);
        b = MemoryNamespace.allocate("b", 1L << 20);
        target = NvmfTarget.start(NvmfTargetConfig.defaults("127.0.0.1", 0), List.of(
            new Subsystem("nqn.2026-01.dev.conduit:disc-a", List.of(a), Set.of(HOST), false, "DISC-A"),
            new Subsystem("nqn.2026-01.dev.conduit:disc-b", List.of(b), Set.of(OTHER_HOST), false, "DISC-B"),
            new Subsystem("nqn.2026-01.dev.conduit:disc-any", List.of(b), Set.of(), true, "DISC-ANY")));
    }

    @AfterEach
    void stop()
    {
        target.close();
        a.close();
        b.close();
    }

    @Test
    void shouldListTheSubsystemsThisHostMayConnectTo()
    {
        final List<Discovery.Entry> entries = Discovery.discover(target.localAddress(), HostQueue.Options.of(HOST));
        assertEquals(List.of("nqn.2026-01.dev.conduit:disc-a", "nqn.2026-01.dev.conduit:disc-any"), entries.stream().map(Discovery.Entry::nqn).toList());
        final Discovery.Entry first = entries.get(0);
        assertEquals("tcp", first.transport());
        assertEquals("ipv4", first.family());
        assertEquals("nvm", first.subtype());
        assertEquals("nvmf://127.0.0.1:" + target.localAddress().getPort() + "/nqn.2026-01.dev.conduit:disc-a", first.uri());
        // The entry is usable as it stands: connect to what it names.
        final NvmfUri uri = NvmfUri.parse(first.uri() + "/1");
        try (RemoteNamespace ns = RemoteNamespace.connect(uri.address(), HostQueue.Options.of(HOST), uri.nqn(), uri.nsid(), 1))
        {
            assertEquals(1L << 20, ns.capacityBytes());
        }
    }

    @Test
    void shouldFailClearlyWhenNothingListens()
    {
        final var address = target.localAddress();
        target.close();
        final ConduitException e = assertThrows(ConduitException.class, () -> Discovery.discover(address, HostQueue.Options.of(HOST)));
        assertEquals(ErrorCode.NVMF_CONNECTION_CLOSED, e.code(), e.getMessage());
    }
}
