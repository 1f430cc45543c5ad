package dev.conduit.nativebindings.dynlib;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import dev.conduit.nativebindings.NativeLibraries;

/**
 * A vendor shared library opened for the life of the process, whose symbols are looked up one by
 * one and may be absent.
 *
 * <p>Libraries are loaded into {@link Arena#global()} on purpose: CUDA and cuFile keep threads and
 * driver state alive behind their handles, and {@code dlclose} under them is undefined behaviour
 * (the cuFile reference says its resources are torn down at {@code dlclose}). Loading the same
 * path twice returns the same underlying library (the system loader reference-counts it).
 *
 * <p>Threading: immutable; any thread.
 */
public final class DynamicLibrary
{
    private final String name;
    private final SymbolLookup lookup;

    private DynamicLibrary(final String name, final SymbolLookup lookup)
    {
        this.name = name;
        this.lookup = lookup;
    }

    /**
     * Opens the first candidate that loads.
     *
     * @param candidates sonames or paths in the order to try, from {@link NativeLibraries#candidates}.
     * @return the library, or empty when none of them loads.
     */
    public static Optional<DynamicLibrary> open(final List<String> candidates)
    {
        return NativeLibraries.load(Arena.global(), candidates)
            .map(loaded -> new DynamicLibrary(loaded.name(), loaded.lookup()));
    }

    /**
     * Wraps symbols already loaded some other way, e.g. SPDK's libraries, which must be opened
     * {@code RTLD_GLOBAL} in dependency order before their symbols resolve.
     *
     * @param name   the soname or path, for messages.
     * @param lookup where the symbols are found.
     * @return the library.
     */
    public static DynamicLibrary of(final String name, final SymbolLookup lookup)
    {
        return new DynamicLibrary(Objects.requireNonNull(name, "name"), Objects.requireNonNull(lookup, "lookup"));
    }

    /** @return the soname or path that loaded. */
    public String name()
    {
        return name;
    }

    /**
     * @param symbol a C symbol name.
     * @return whether the library exports it.
     */
    public boolean exports(final String symbol)
    {
        return lookup.find(symbol).isPresent();
    }

    /**
     * A function that may or may not be exported; linking happens on first use.
     *
     * @param symbol     C symbol name.
     * @param descriptor its C signature.
     * @param owner      describes this library in "not supported by ..." messages, e.g.
     *                   {@code "this libcufile version 1.6.0"}; evaluated only when a missing
     *                   function is called.
     * @param options    linker options (errno capture).
     * @return the function.
     */
    public NativeFunction function(
        final String symbol, final FunctionDescriptor descriptor, final Supplier<String> owner, final Linker.Option... options)
    {
        return new NativeFunction(symbol, lookup.find(symbol), descriptor, owner, options);
    }

    /**
     * The first exported of several names for one C function, e.g. {@code cuFileDriverClose_v2}
     * before {@code cuFileDriverClose}; when none is exported the first name is reported missing.
     *
     * @param symbols    names in order of preference.
     * @param descriptor the shared C signature.
     * @param owner      see {@link #function}.
     * @param options    linker options.
     * @return the function.
     */
    public NativeFunction firstOf(
        final List<String> symbols, final FunctionDescriptor descriptor, final Supplier<String> owner, final Linker.Option... options)
    {
        Objects.requireNonNull(symbols, "symbols");
        for (final String symbol : symbols)
        {
            if (exports(symbol))
            {
                return function(symbol, descriptor, owner, options);
            }
        }
        return function(symbols.getFirst(), descriptor, owner, options);
    }

    @Override
    public String toString()
    {
        return name;
    }
}
