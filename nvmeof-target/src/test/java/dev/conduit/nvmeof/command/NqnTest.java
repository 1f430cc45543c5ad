package dev.conduit.nvmeof.command;

import java.util.List;
import java.util.Set;

import dev.conduit.nvmeof.target.Subsystem;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NqnTest
{
    @Test
    void shouldAcceptBothFormsAndTheDiscoveryNqn()
    {
        assertNull(Nqn.problem("nqn.2014-08.org.nvmexpress:uuid:c0d0c7a1-0000-4000-8000-0000000c4ec0"));
        assertNull(Nqn.problem("nqn.2026-01.dev.conduit:store-node0"));
        assertNull(Nqn.problem("nqn.2014-08.org.nvmexpress.discovery"));
        assertNull(Nqn.problem("nqn.2016-06.io.spdk:" + "x".repeat(Nqn.MAX_BYTES - 20)));
    }

    @Test
    void shouldSayWhatIsWrong()
    {
        assertTrue(Nqn.problem("").contains("empty"));
        assertTrue(Nqn.problem("host1").contains("neither"));
        assertTrue(Nqn.problem("nqn.2026-00.dev.conduit:x").contains("neither"));
        assertTrue(Nqn.problem("nqn.2026-01.dev.conduit:a b").contains("white space"));
        assertTrue(Nqn.problem("nqn.2014-08.org.nvmexpress:uuid:1234").contains("UUID"));
        assertTrue(Nqn.problem("nqn.2026-01.dev.conduit:" + "x".repeat(Nqn.MAX_BYTES)).contains("223"));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new Subsystem("nqn.2026-01.dev.conduit:s", List.of(), Set.of("somehost"), false, "S"));
        assertTrue(e.getMessage().contains("'somehost' is not an NQN"), e.getMessage());
    }
}
