package dev.conduit.nativebindings.dynlib;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Optional;
import java.util.function.Supplier;

import dev.conduit.nativebindings.NativeRuntime;

/**
 * One C function of a {@link DynamicLibrary}: present or not, linked to a downcall handle the first
 * time it is used (jextract's lazy holder, per instance because the library is chosen at run time).
 *
 * <p>Calling a function the library does not export throws {@link UnsupportedCallException}
 * naming the function and the library version, instead of failing at load time.
 *
 * <p>Threading: safe from any thread; concurrent first uses may both link, and either handle is
 * equivalent (the race is benign because {@link MethodHandle} is immutable).
 */
public final class NativeFunction
{
    private final String symbol;
    private final Optional<MemorySegment> address;
    private final FunctionDescriptor descriptor;
    private final Supplier<String> owner;
    private final Linker.Option[] options;
    private MethodHandle handle;

    NativeFunction(
        final String symbol,
        final Optional<MemorySegment> address,
        final FunctionDescriptor descriptor,
        final Supplier<String> owner,
        final Linker.Option... options)
    {
        this.symbol = symbol;
        this.address = address;
        this.descriptor = descriptor;
        this.owner = owner;
        this.options = options.clone();
    }

    /** @return the C symbol name. */
    public String symbol()
    {
        return symbol;
    }

    /** @return whether the library exports this function. */
    public boolean exported()
    {
        return address.isPresent();
    }

    /**
     * @return the downcall handle, linked on first use.
     * @throws UnsupportedCallException when the library does not export the function.
     */
    public MethodHandle handle()
    {
        MethodHandle h = handle;
        if (h == null)
        {
            final MemorySegment target = address.orElseThrow(() -> new UnsupportedCallException(symbol, owner.get()));
            h = NativeRuntime.LINKER.downcallHandle(target, descriptor, options);
            handle = h;
        }
        return h;
    }

    @Override
    public String toString()
    {
        return symbol + (exported() ? "" : " (not exported)");
    }
}
