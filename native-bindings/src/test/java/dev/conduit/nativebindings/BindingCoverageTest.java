package dev.conduit.nativebindings;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.conduit.nativebindings.cuda.CudaDriverLibrary;
import dev.conduit.nativebindings.cuda.CudaRuntime;
import dev.conduit.nativebindings.cufile.CuFileApiFamily;
import dev.conduit.nativebindings.testing.CuFileDoubleControl;
import dev.conduit.nativebindings.testing.CudaDoubleControl;
import dev.conduit.nativebindings.testing.CudartDoubleControl;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * "Every cuFile and CUDA call in the bindings is reached by at least one test through the
 * doubles": runs after every other test class (junit-platform.properties orders classes by
 * {@link Order}) and reads the doubles' lifetime per-function call counters.
 */
@Order(Integer.MAX_VALUE)
@Timeout(30)
class BindingCoverageTest
{
    @Test
    void shouldHaveReachedEveryBoundFunctionThroughTheDoubles()
    {
        final Set<String> cufile = new LinkedHashSet<>();
        for (final CuFileApiFamily family : CuFileApiFamily.values())
        {
            cufile.addAll(family.symbols());
        }
        cufile.add("cuFileDriverClose_v2");
        Assumptions.assumeTrue(CuFileDoubleControl.FULL.callCount("cuFileDriverOpen") > 0,
            "run with the whole native-bindings suite: the counters are filled by the other tests");

        final List<String> unreached = new ArrayList<>();
        for (final String symbol : CudaDriverLibrary.SYMBOLS)
        {
            if (CudaDoubleControl.callCount(symbol) == 0)
            {
                unreached.add(symbol);
            }
        }
        for (final String symbol : cufile)
        {
            if (CuFileDoubleControl.FULL.callCount(symbol) + CuFileDoubleControl.LEGACY.callCount(symbol) == 0)
            {
                unreached.add(symbol);
            }
        }
        for (final String symbol : CudaRuntime.SYMBOLS)
        {
            if (CudartDoubleControl.callCount(symbol) == 0)
            {
                unreached.add(symbol);
            }
        }

        assertEquals(List.of(), unreached, "bound functions no test reached through a double");
    }
}
