package dev.conduit.nativebindings;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * Shared plumbing for the bindings: the one {@link Linker}, errno capture, and downcall lookup
 * that reports a missing symbol as an empty {@link Optional} instead of an exception at class load.
 *
 * <p>Threading: everything here is immutable or thread-confined ({@link #errnoState()} is one small
 * segment per thread), so any thread may call any binding.
 */
public final class NativeRuntime
{
    /** The platform linker; the only one in the codebase. */
    public static final Linker LINKER = Linker.nativeLinker();

    /** Option passed to downcalls of C functions that report failure through {@code errno}. */
    public static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final ThreadLocal<MemorySegment> ERRNO_STATE =
        ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private NativeRuntime()
    {
    }

    /** @return this thread's errno capture segment, passed as the first argument of capturing downcalls. */
    public static MemorySegment errnoState()
    {
        return ERRNO_STATE.get();
    }

    /**
     * @param state a capture segment that a capturing downcall has just filled.
     * @return the errno the call left behind.
     */
    public static int errno(final MemorySegment state)
    {
        return (int)ERRNO.get(state, 0L);
    }

    /**
     * Looks up {@code name} and links it, or returns empty when the library lacks the symbol.
     *
     * @param lookup     where to look.
     * @param name       C symbol name.
     * @param descriptor its C signature.
     * @param options    linker options (errno capture, variadic position).
     * @return the downcall handle, or empty.
     */
    public static Optional<MethodHandle> downcall(
        final SymbolLookup lookup, final String name, final FunctionDescriptor descriptor, final Linker.Option... options)
    {
        return lookup.find(name).map(address -> LINKER.downcallHandle(address, descriptor, options));
    }

    /**
     * Links a symbol that must exist (libc symbols on Linux).
     *
     * @param lookup     where to look.
     * @param name       C symbol name.
     * @param descriptor its C signature.
     * @param options    linker options.
     * @return the downcall handle.
     * @throws UnsatisfiedLinkError when the symbol is missing.
     */
    public static MethodHandle requiredDowncall(
        final SymbolLookup lookup, final String name, final FunctionDescriptor descriptor, final Linker.Option... options)
    {
        return downcall(lookup, name, descriptor, options)
            .orElseThrow(() -> new UnsatisfiedLinkError("missing native symbol: " + name));
    }

    /**
     * Whether this JVM lets unnamed-module code call native functions without a warning, i.e. was
     * started with {@code --enable-native-access=ALL-UNNAMED}.
     *
     * @return true when native access is enabled for the classpath.
     */
    public static boolean nativeAccessEnabled()
    {
        return NativeRuntime.class.getModule().isNativeAccessEnabled();
    }

    /**
     * Turns an {@link Throwable} from {@code MethodHandle.invokeExact} into an unchecked error;
     * downcalls never throw checked exceptions, so anything else is a binding bug.
     *
     * @param t what the invocation threw.
     * @return never returns normally; the return type lets callers write {@code throw rethrow(t)}.
     */
    public static RuntimeException rethrow(final Throwable t)
    {
        if (t instanceof RuntimeException re)
        {
            throw re;
        }
        if (t instanceof Error e)
        {
            throw e;
        }
        throw new IllegalStateException("unexpected checked exception from a downcall", t);
    }
}
