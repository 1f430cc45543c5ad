package dev.conduit.nvmeof.initiator;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NvmfUriTest
{
    @Test
    void shouldParseHostPortNqnAndNsid()
    {
        assertEquals(new NvmfUri("127.0.0.1", 4421, "nqn.2026-01.dev.conduit:ram0", 2),
            NvmfUri.parse("nvmf://127.0.0.1:4421/nqn.2026-01.dev.conduit:ram0/2"));
        assertEquals(new NvmfUri("target.example", NvmfUri.DEFAULT_PORT, "nqn.2014-08.org.example:disk", 1),
            NvmfUri.parse("nvmf://target.example/nqn.2014-08.org.example:disk/1"));
    }

    @Test
    void shouldRefuseWhatIsNotANamespace()
    {
        for (final String bad : new String[] {"nvme://h/nqn.x/1", "nvmf://h/nqn.x", "nvmf://h:0/nqn.x/1", "nvmf://h:1/x/1",
            "nvmf://h:1/nqn.x/0", "nvmf://h:port/nqn.x/1", "nvmf:///nqn.x/1", "nvmf://h/nqn.x/1/2"})
        {
            assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(ConduitException.class, () -> NvmfUri.parse(bad), bad).code(), bad);
        }
    }
}
