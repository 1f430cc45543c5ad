package dev.conduit.nativebindings.spdk;

import java.util.List;

import dev.conduit.nativebindings.testing.SpdkDoubleControl;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every SPDK function the bindings bind is reached by some test through the double; runs after the other test classes. */
@Order(Integer.MAX_VALUE)
@Timeout(30)
class SpdkBindingCoverageTest
{
    @Test
    void shouldHaveReachedEveryBoundSpdkFunctionThroughTheDouble()
    {
        Assumptions.assumeTrue(SpdkDoubleControl.callCount("spdk_nvme_connect") > 0,
            "run with the whole native-bindings suite: the counters are filled by the other SPDK tests");
        final List<String> unreached = SpdkLibrary.SYMBOLS.stream().filter(s -> SpdkDoubleControl.callCount(s) == 0).toList();
        assertEquals(List.of(), unreached, "bound SPDK functions no test reached through the double");
    }
}
