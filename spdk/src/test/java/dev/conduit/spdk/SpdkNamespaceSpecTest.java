package dev.conduit.spdk;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.spdk.SpdkEnvOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpdkNamespaceSpecTest
{
    @Test
    void shouldSplitSpdksTransportIdFromConduitsKeys()
    {
        final SpdkNamespaceSpec s = SpdkNamespaceSpec.parse(
            "spdk://trtype:TCP,adrfam:IPv4,traddr:127.0.0.1,trsvcid:4420,subnqn:nqn.2026-01.dev.conduit:a,ns:3,queues:2,depth:64");
        assertEquals("trtype:TCP adrfam:IPv4 traddr:127.0.0.1 trsvcid:4420 subnqn:nqn.2026-01.dev.conduit:a", s.transportId());
        assertEquals(3, s.nsid());
        assertEquals(2, s.queuePairs());
        assertEquals(64, s.depth());
        assertFalse(s.pcie());
        assertEquals(SpdkEnvOptions.fabricsDefaults(), s.environment());
    }

    @Test
    void shouldKeepColonsInsideValuesAndNoticePcie()
    {
        final SpdkNamespaceSpec s = SpdkNamespaceSpec.parse("spdk://trtype:PCIe,traddr:0000:01:00.0");
        assertEquals("trtype:PCIe traddr:0000:01:00.0", s.transportId());
        assertEquals(1, s.nsid());
        assertEquals(1, s.queuePairs());
        assertEquals(SpdkNamespaceSpec.DEFAULT_DEPTH, s.depth());
        assertTrue(s.pcie());
        assertEquals(SpdkEnvOptions.pcieDefaults(), s.environment());
    }

    @Test
    void shouldRejectWhatIsNotASpec()
    {
        for (final String bad : new String[] {"nvmf://x", "spdk://", "spdk://traddr:1.2.3.4", "spdk://trtype:TCP,ns:0",
            "spdk://trtype:TCP,depth:x", "spdk://trtype:TCP,novalue", "spdk://trtype:TCP,a:b c"})
        {
            final ConduitException e = assertThrows(ConduitException.class, () -> SpdkNamespaceSpec.parse(bad), bad);
            assertEquals(ErrorCode.NVME_TRANSPORT_ID_INVALID, e.code(), bad);
        }
    }
}
