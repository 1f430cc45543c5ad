package dev.conduit.nativebindings.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** Test-only counters of {@code libcudart_double.so} (its behaviour follows the libcuda double's switches). */
public final class CudartDoubleControl
{
    private static final MethodHandle CALL_COUNT = Linker.nativeLinker().downcallHandle(
        SymbolLookup.libraryLookup(Doubles.cudart(), Arena.global()).find("double_cudart_call_count").orElseThrow(),
        FunctionDescriptor.of(JAVA_LONG, ADDRESS));

    private CudartDoubleControl()
    {
    }

    /**
     * @param function a runtime entry point.
     * @return its calls over the life of the process.
     */
    public static long callCount(final String function)
    {
        try (Arena arena = Arena.ofConfined())
        {
            return (long)CALL_COUNT.invokeExact(arena.allocateFrom(function));
        }
        catch (final Throwable t)
        {
            throw new AssertionError(t);
        }
    }
}
